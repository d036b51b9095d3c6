namespace NetGen;

/// <summary>The element-wise (or, for <see cref="Softmax"/>, row-wise) function a layer applies to its output.</summary>
public enum Activation
{
    /// <summary>f(x) = x.</summary>
    Linear = 0,
    /// <summary>f(x) = 1 if x ≥ 0 else 0. Only for Rosenblatt's perceptron (a single Dense layer).</summary>
    BinaryStep = 1,
    /// <summary>f(x) = 1 / (1 + e^−x).</summary>
    Sigmoid = 2,
    /// <summary>f(x) = tanh x.</summary>
    Tanh = 3,
    /// <summary>f(x) = max(0, x).</summary>
    ReLU = 4,
    /// <summary>f(x) = x if x ≥ 0 else α·x (α from <c>Alpha</c>, default 0.01).</summary>
    LeakyReLU = 5,
    /// <summary>f(x) = x if x ≥ 0 else a·x with one learned slope a per unit (initially 0.25).</summary>
    PReLU = 6,
    /// <summary>f(x) = x if x &gt; 0 else α·(e^x − 1) (α from <c>Alpha</c>, default 1.0).</summary>
    ELU = 7,
    /// <summary>f(x) = x·sigmoid(x).</summary>
    Swish = 8,
    /// <summary>f(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ over each sample's outputs. Last layer only.</summary>
    Softmax = 9,
    /// <summary>f(x) = x·Φ(x), Φ the standard normal CDF (the exact erf form, <c>nn.GELU()</c>).</summary>
    GELU = 10,
}

/// <summary>The loss a network is trained on; reductions are PyTorch's <c>mean</c>.</summary>
public enum Loss
{
    /// <summary>mean((y − t)²) over every element.</summary>
    MeanSquaredError = 0,
    /// <summary>−mean(t·log y + (1 − t)·log(1 − y)) over every element; from the logits after a Sigmoid.</summary>
    BinaryCrossEntropy = 1,
    /// <summary>−Σ t·log y averaged over the batch; from the logits after a Softmax.</summary>
    CrossEntropy = 2,
}

/// <summary>The update rule, exactly as <c>torch.optim</c> defines it.</summary>
public enum Optimizer
{
    /// <summary>w −= lr·g.</summary>
    Sgd = 0,
    /// <summary>v = μ·v + g; w −= lr·v.</summary>
    Momentum = 1,
    /// <summary>s = ρ·s + (1 − ρ)·g²; w −= lr·g / (√s + ε).</summary>
    RmsProp = 2,
    /// <summary>Adam with bias correction, ε outside the square root.</summary>
    Adam = 3,
    /// <summary>
    /// Adam with decoupled weight decay (<c>torch.optim.AdamW</c>): w ← w·(1 − lr·λ) before the Adam step.
    /// <c>WeightDecay</c> defaults to 0.01 for it, and decays only the matrices: parameter tensors of two or more
    /// dimensions (weights, attention projections, embeddings), never biases or LayerNorm weights, as nanoGPT groups them.
    /// </summary>
    AdamW = 4,
}

/// <summary>The element type of the generated code.</summary>
public enum Precision
{
    /// <summary>32-bit <see cref="float"/> (the default).</summary>
    Single = 0,
    /// <summary>64-bit <see cref="double"/>: for scientific code and exact gradient checks.</summary>
    Double = 1,
}
