using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>Gradient clipping by global norm, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GradientClipping
{
    /// <summary>
    /// ‖g‖₂ over the whole span (all parameters' gradients together), then g ← g·min(1, maxNorm / (‖g‖₂ + 1e-6)).
    /// Returns ‖g‖₂ before clipping. A non-finite norm propagates into g, as in PyTorch (error_if_nonfinite = false).
    /// </summary>
    public static T ClipNorm<T>(Span<T> gradients, T maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(maxNorm > T.Zero)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest gradient norm must be positive.");
        // ‖g‖₂ = √(Σ gᵢ²), the sum vectorised.
        T norm = T.Sqrt(RowMath.Dot<T>(gradients, gradients));
        // clip_coef = maxNorm / (‖g‖ + 1e-6), clamped to at most 1 (NaN stays NaN, as torch.clamp does).
        T coefficient = maxNorm / (norm + T.CreateTruncating(1e-6));
        if (!(coefficient >= T.One)) RowMath.Scale(gradients, coefficient);
        return norm;
    }
}
