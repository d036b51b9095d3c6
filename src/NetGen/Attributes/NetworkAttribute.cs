using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial class</c> as a network for NetGen's generator and sets how it trains.
/// The layers are the layer attributes on the same declaration, in the order written.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The loss minimised by training. Default: mean squared error.</summary>
    public Loss Loss { get; set; } = Loss.MeanSquaredError;
    /// <summary>The optimizer. Default: SGD.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Sgd;
    /// <summary>The learning rate; 0 (unset) means the optimizer's default: 0.01 for Sgd and Momentum, 0.001 for RmsProp and Adam.</summary>
    public float LearningRate { get; set; }
    /// <summary>Momentum μ (Momentum optimizer). Default 0.9.</summary>
    public float Momentum { get; set; } = 0.9f;
    /// <summary>Adam's β₁. Default 0.9.</summary>
    public float Beta1 { get; set; } = 0.9f;
    /// <summary>Adam's β₂. Default 0.999.</summary>
    public float Beta2 { get; set; } = 0.999f;
    /// <summary>ε of RmsProp and Adam. Default 1e-8.</summary>
    public float Epsilon { get; set; } = 1e-8f;
    /// <summary>RmsProp's decay ρ (PyTorch's <c>alpha</c>). Default 0.99.</summary>
    public float RmsDecay { get; set; } = 0.99f;
    /// <summary>
    /// Weight decay λ. Sgd, Momentum, RmsProp, Adam: L2, adds λ·w to every gradient; default 0.
    /// AdamW: decoupled, w ← w·(1 − lr·λ), on tensors of two or more dimensions only (nanoGPT's grouping); default 0.01.
    /// </summary>
    public float WeightDecay { get; set; }
    /// <summary>
    /// Clips the global gradient norm before every update, as <c>torch.nn.utils.clip_grad_norm_</c>: when ‖g‖₂ over all
    /// parameters exceeds ClipNorm, g ← g·ClipNorm/(‖g‖₂ + 1e-6). 0 (the default) turns clipping off.
    /// </summary>
    public float ClipNorm { get; set; }
    /// <summary>The seed of the parameter initialisation and of dropout masks.</summary>
    public int Seed { get; set; }
    /// <summary>The element type of the generated code. Default: <see cref="NetGen.Precision.Single"/>.</summary>
    public Precision Precision { get; set; } = Precision.Single;
    /// <summary>
    /// A safetensors file (an <c>AdditionalFiles</c> item) whose weights are compiled into the class: the class
    /// is then inference-only (<c>Predict</c>, no training members), with the weights as constant data.
    /// </summary>
    public string? Weights { get; set; }
}
