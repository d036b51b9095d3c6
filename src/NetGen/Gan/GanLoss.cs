using System;
using System.Numerics;

namespace NetGen.Gan;

/// <summary>
/// The losses of one GAN step on the discriminator's logits z (one per sample, no sigmoid applied),
/// binary cross-entropy from logits as PyTorch's <c>BCEWithLogitsLoss</c> (mean over the samples),
/// stable for any finite logit: softplus(z) = max(z, 0) + log(1 + e^−|z|).
/// </summary>
/// <remarks>
/// One step, with D the discriminator and G the generator:
/// <list type="number">
/// <item>Discriminator: D on a real batch, <see cref="RealLossGradient{T}"/> into its Backward; D on
/// G's fake batch, <see cref="FakeLossGradient{T}"/> into Backward with accumulation; one update.
/// Its loss is <see cref="RealLoss{T}"/> + <see cref="FakeLoss{T}"/>.</item>
/// <item>Generator: D on a fresh fake batch, <see cref="GeneratorLossGradient{T}"/> into D's Backward
/// (no update of D), D's input gradient into G's Backward, one update of G.</item>
/// </list>
/// The generator's loss is the non-saturating one, −log σ(D(G(z))) (the real label on fakes), whose
/// gradient stays large while the discriminator rejects the fakes, unlike log(1 − σ(D(G(z)))).
/// The gradients are with respect to the logits, already divided by the number of samples.
/// </remarks>
public static class GanLoss
{
    /// <summary>L = mean(BCE(σ(z), target)) = mean(softplus(z) − target·z) for one target for every sample (1 real, 0 fake, or a smoothed label).</summary>
    public static T BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, T target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (logits.IsEmpty) throw new ArgumentException("No logits: the loss of an empty batch is undefined.", nameof(logits));
        T sum = T.Zero;
        // Σ max(z, 0) − z·t + log(1 + e^−|z|)
        foreach (T z in logits) sum += T.Max(z, T.Zero) - z * target + T.LogP1(T.Exp(-T.Abs(z)));
        return sum / T.CreateTruncating(logits.Length);
    }

    /// <summary>dL/dz = (σ(z) − target)/N for <see cref="BinaryCrossEntropyWithLogits{T}"/>. Overwrites <paramref name="gradient"/>.</summary>
    public static void BinaryCrossEntropyWithLogitsGradient<T>(ReadOnlySpan<T> logits, T target, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Length < logits.Length) throw new ArgumentException($"The gradient needs {logits.Length} values, one per logit, but got {gradient.Length}.", nameof(gradient));
        T inverseCount = T.One / T.CreateTruncating(Math.Max(1, logits.Length));
        for (int i = 0; i < logits.Length; i++) gradient[i] = (Sigmoid(logits[i]) - target) * inverseCount;
    }

    /// <summary>The discriminator's loss on real samples (label 1): mean(softplus(−z)).</summary>
    public static T RealLoss<T>(ReadOnlySpan<T> logits) where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogits(logits, T.One);

    /// <summary>dL/dz of <see cref="RealLoss{T}"/>: (σ(z) − 1)/N.</summary>
    public static void RealLossGradient<T>(ReadOnlySpan<T> logits, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogitsGradient(logits, T.One, gradient);

    /// <summary>The discriminator's loss on fake samples (label 0): mean(softplus(z)).</summary>
    public static T FakeLoss<T>(ReadOnlySpan<T> logits) where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogits(logits, T.Zero);

    /// <summary>dL/dz of <see cref="FakeLoss{T}"/>: σ(z)/N.</summary>
    public static void FakeLossGradient<T>(ReadOnlySpan<T> logits, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogitsGradient(logits, T.Zero, gradient);

    /// <summary>The generator's non-saturating loss on the discriminator's logits for fakes: mean(−log σ(z)) = mean(softplus(−z)).</summary>
    public static T GeneratorLoss<T>(ReadOnlySpan<T> fakeLogits) where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogits(fakeLogits, T.One);

    /// <summary>dL/dz of <see cref="GeneratorLoss{T}"/>: (σ(z) − 1)/N, fed to the discriminator's Backward.</summary>
    public static void GeneratorLossGradient<T>(ReadOnlySpan<T> fakeLogits, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
        => BinaryCrossEntropyWithLogitsGradient(fakeLogits, T.One, gradient);

    // The hinge objective (Lim and Ye 2017; SAGAN's and BigGAN's): D's losses are margins on the raw logits, G's is −D.

    /// <summary>The discriminator's hinge loss on real samples: mean(max(0, 1 − z)).</summary>
    public static T HingeRealLoss<T>(ReadOnlySpan<T> logits) where T : unmanaged, IFloatingPointIeee754<T>
        => HingeLoss(logits, -T.One);

    /// <summary>dL/dz of <see cref="HingeRealLoss{T}"/>: −1/N where z &lt; 1, else 0. Overwrites <paramref name="gradient"/>.</summary>
    public static void HingeRealLossGradient<T>(ReadOnlySpan<T> logits, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
        => HingeLossGradient(logits, -T.One, gradient);

    /// <summary>The discriminator's hinge loss on fake samples: mean(max(0, 1 + z)).</summary>
    public static T HingeFakeLoss<T>(ReadOnlySpan<T> logits) where T : unmanaged, IFloatingPointIeee754<T>
        => HingeLoss(logits, T.One);

    /// <summary>dL/dz of <see cref="HingeFakeLoss{T}"/>: 1/N where z &gt; −1, else 0. Overwrites <paramref name="gradient"/>.</summary>
    public static void HingeFakeLossGradient<T>(ReadOnlySpan<T> logits, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
        => HingeLossGradient(logits, T.One, gradient);

    /// <summary>The generator's loss under the hinge objective: mean(−z) on the discriminator's logits for fakes.</summary>
    public static T HingeGeneratorLoss<T>(ReadOnlySpan<T> fakeLogits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (fakeLogits.IsEmpty) throw new ArgumentException("No logits: the loss of an empty batch is undefined.", nameof(fakeLogits));
        T sum = T.Zero;
        foreach (T z in fakeLogits) sum -= z;
        return sum / T.CreateTruncating(fakeLogits.Length);
    }

    /// <summary>dL/dz of <see cref="HingeGeneratorLoss{T}"/>: −1/N for every logit. Overwrites <paramref name="gradient"/>.</summary>
    public static void HingeGeneratorLossGradient<T>(ReadOnlySpan<T> fakeLogits, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Length < fakeLogits.Length) throw new ArgumentException($"The gradient needs {fakeLogits.Length} values, one per logit, but got {gradient.Length}.", nameof(gradient));
        gradient.Slice(0, fakeLogits.Length).Fill(-T.One / T.CreateTruncating(Math.Max(1, fakeLogits.Length)));
    }

    /// <summary>mean(max(0, 1 + sign·z)): sign −1 for real samples, +1 for fakes.</summary>
    private static T HingeLoss<T>(ReadOnlySpan<T> logits, T sign) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (logits.IsEmpty) throw new ArgumentException("No logits: the loss of an empty batch is undefined.", nameof(logits));
        T sum = T.Zero;
        foreach (T z in logits) sum += T.Max(T.Zero, T.One + sign * z);
        return sum / T.CreateTruncating(logits.Length);
    }

    /// <summary>sign/N where the margin 1 + sign·z is positive, else 0 (at the kink itself, 0).</summary>
    private static void HingeLossGradient<T>(ReadOnlySpan<T> logits, T sign, Span<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Length < logits.Length) throw new ArgumentException($"The gradient needs {logits.Length} values, one per logit, but got {gradient.Length}.", nameof(gradient));
        T slope = sign / T.CreateTruncating(Math.Max(1, logits.Length));
        for (int i = 0; i < logits.Length; i++) gradient[i] = T.One + sign * logits[i] > T.Zero ? slope : T.Zero;
    }

    /// <summary>σ(z) = 1/(1 + e^−z), written with e^−|z| so neither branch overflows.</summary>
    private static T Sigmoid<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T e = T.Exp(-T.Abs(z));
        return z >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
    }
}
