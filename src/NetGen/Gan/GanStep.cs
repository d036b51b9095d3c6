using System;
using System.Numerics;
using NetGen.Numerics;

namespace NetGen.Gan;

/// <summary>
/// One adversarial training step for a generator G (latent vector in, sample out) and a discriminator
/// D (sample in, one logit out), as <see cref="GanLoss"/>'s remarks describe: D on a real batch and on a
/// fake batch with its gradients accumulated and one update; then G through D's input gradient, with D's
/// parameters and optimizer state left as they were. Losses are BCE from logits, G's the non-saturating one
/// (or the hinge objective, <see cref="Objective"/>).
/// </summary>
/// <remarks>
/// Every buffer is allocated by the constructor, so after the first step (which sizes the networks'
/// own buffers) a step allocates nothing. The latent noise is N(0, 1), drawn from a seeded generator of
/// its own. D's buffers (BatchNorm running statistics) move in both halves, as PyTorch's do in train mode.
/// </remarks>
/// <typeparam name="TGenerator">The generator's generated class.</typeparam>
/// <typeparam name="TDiscriminator">The discriminator's generated class.</typeparam>
/// <typeparam name="T">The element type both share.</typeparam>
public sealed class GanStep<TGenerator, TDiscriminator, T>
    where TGenerator : INetwork<T> where TDiscriminator : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TGenerator _generator;
    private readonly TDiscriminator _discriminator;
    private readonly T[] _noise, _fakes, _logits, _logitGradient;
    private SplitMix64 _random;
    private T _realLabel = T.One;

    /// <summary>Prepares steps of <paramref name="batchSize"/> real and as many fake samples; <paramref name="seed"/> seeds the latent noise.</summary>
    /// <exception cref="ArgumentException">The discriminator does not output one logit, or does not take the generator's samples (the message names both sizes).</exception>
    public GanStep(TGenerator generator, TDiscriminator discriminator, int batchSize, int seed)
    {
        if (discriminator.OutputSize != 1)
            throw new ArgumentException($"The discriminator must output 1 logit per sample, but outputs {discriminator.OutputSize}.", nameof(discriminator));
        if (discriminator.InputSize != generator.OutputSize)
            throw new ArgumentException($"The generator outputs {generator.OutputSize} values per sample, but the discriminator takes {discriminator.InputSize}.", nameof(discriminator));
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        _generator = generator;
        _discriminator = discriminator;
        BatchSize = batchSize;
        _noise = new T[batchSize * generator.InputSize];
        _fakes = new T[batchSize * generator.OutputSize];
        _logits = new T[batchSize];
        _logitGradient = new T[batchSize];
        _random = SplitMix64.FromSeed(seed);
    }

    /// <summary>Samples per batch, real and fake.</summary>
    public int BatchSize { get; }

    /// <summary>
    /// The losses: <see cref="GanObjective.NonSaturating"/> (the default: BCE from logits for D, −log σ(D(G(z))) for G)
    /// or <see cref="GanObjective.Hinge"/> (max(0, 1 − D(x)) + max(0, 1 + D(G(z))) for D, −D(G(z)) for G).
    /// </summary>
    public GanObjective Objective { get; set; } = GanObjective.NonSaturating;

    /// <summary>
    /// The target of the discriminator's real batch: 1 (the default), or a one-sided smoothed label such as 0.9
    /// (Salimans et al. 2016), so L_D's real term is mean(softplus(z) − label·z). Fakes keep label 0 and the
    /// generator's loss keeps target 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The label is not in (0.5, 1].</exception>
    public T RealLabel
    {
        get => _realLabel;
        set
        {
            if (!(value > T.CreateTruncating(0.5) && value <= T.One))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The real label must be in (0.5, 1].");
            _realLabel = value;
        }
    }

    /// <summary>The fake batch the last half-step generated, row-major [BatchSize, generator outputs].</summary>
    public ReadOnlySpan<T> Fakes => _fakes;

    /// <summary>One discriminator step, then one generator step; returns both losses (before the updates).</summary>
    /// <param name="real">BatchSize real samples, row-major.</param>
    public (T DiscriminatorLoss, T GeneratorLoss) Run(ReadOnlySpan<T> real)
    {
        T d = DiscriminatorStep(real);
        T g = GeneratorStep();
        return (d, g);
    }

    /// <summary>
    /// D's step: L_D = mean softplus(−D(x)) + mean softplus(D(G(z))) over a real batch x and a fresh fake batch;
    /// the two gradients are accumulated and D takes one update. G is run forward only. Returns L_D.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="real"/> is not BatchSize samples of the discriminator's input (the message names both sizes).</exception>
    public T DiscriminatorStep(ReadOnlySpan<T> real)
    {
        int n = BatchSize;
        if (real.Length != n * _discriminator.InputSize)
            throw new ArgumentException($"Expected {n * _discriminator.InputSize} real values ({n} samples of {_discriminator.InputSize}), but got {real.Length}.", nameof(real));
        if (Objective == GanObjective.Hinge && _realLabel != T.One)
            throw new InvalidOperationException($"RealLabel {_realLabel} smooths the cross-entropy objective's target; the hinge objective has no label (leave RealLabel at 1).");
        // Real batch: label y (RealLabel, 1 unless smoothed), dL/dz = (σ(z) − y)/n; hinge: −1/n where z < 1.
        // Gradients overwritten.
        _discriminator.Forward(real, _logits, n);
        T loss = LossAndGradient(Target.Real);
        _discriminator.Backward(_logitGradient, n, accumulate: false);
        // Fake batch: label 0, dL/dz = σ(z)/n; hinge: 1/n where z > −1. Added to the real batch's gradients.
        Generate();
        _discriminator.Forward(_fakes, _logits, n);
        loss += LossAndGradient(Target.Fake);
        _discriminator.Backward(_logitGradient, n, accumulate: true);
        // One update from the accumulated gradients.
        _discriminator.ApplyGradients();
        return loss;
    }

    /// <summary>
    /// G's step: L_G = mean softplus(−D(G(z))) over a fresh fake batch (the non-saturating loss; hinge: mean −D(G(z))); dL/dz flows
    /// back through D (its gradients are overwritten, never applied) into G, which takes one update. Returns L_G.
    /// </summary>
    public T GeneratorStep()
    {
        int n = BatchSize;
        Generate();
        _discriminator.Forward(_fakes, _logits, n);
        // dL/dz = (σ(z) − 1)/n (hinge: −1/n), then dL/d(fakes) = D's input gradient.
        T loss = LossAndGradient(Target.Generator);
        _discriminator.Backward(_logitGradient, n, accumulate: false);
        _generator.Backward(_discriminator.InputGradients, n, accumulate: false);
        _generator.ApplyGradients();
        return loss;
    }

    private enum Target { Real, Fake, Generator }

    /// <summary>The objective's loss on <c>_logits</c> for one target, its gradient written to <c>_logitGradient</c>.</summary>
    private T LossAndGradient(Target target)
    {
        if (Objective == GanObjective.Hinge)
        {
            switch (target)
            {
                case Target.Real: GanLoss.HingeRealLossGradient<T>(_logits, _logitGradient); return GanLoss.HingeRealLoss<T>(_logits);
                case Target.Fake: GanLoss.HingeFakeLossGradient<T>(_logits, _logitGradient); return GanLoss.HingeFakeLoss<T>(_logits);
                default: GanLoss.HingeGeneratorLossGradient<T>(_logits, _logitGradient); return GanLoss.HingeGeneratorLoss<T>(_logits);
            }
        }
        // Cross-entropy: the real batch's target is RealLabel, the fakes' 0, the generator's (non-saturating) 1.
        T label = target switch { Target.Real => _realLabel, Target.Fake => T.Zero, _ => T.One };
        GanLoss.BinaryCrossEntropyWithLogitsGradient<T>(_logits, label, _logitGradient);
        return GanLoss.BinaryCrossEntropyWithLogits<T>(_logits, label);
    }

    /// <summary>Draws z ~ N(0, 1) and runs G forward in training mode (batch statistics) into <see cref="Fakes"/>.</summary>
    private void Generate()
    {
        LatentNoise.Normal<T>(_noise, ref _random);
        _generator.Forward(_noise, _fakes, BatchSize);
    }
}

/// <summary>The losses a <see cref="GanStep{TGenerator, TDiscriminator, T}"/> trains with.</summary>
public enum GanObjective
{
    /// <summary>BCE from logits for D (real label 1, fakes 0) and the non-saturating −log σ(D(G(z))) for G (DCGAN's).</summary>
    NonSaturating,

    /// <summary>Hinge: mean(max(0, 1 − D(x))) + mean(max(0, 1 + D(G(z)))) for D, mean(−D(G(z))) for G (SAGAN's, BigGAN's).</summary>
    Hinge,
}
