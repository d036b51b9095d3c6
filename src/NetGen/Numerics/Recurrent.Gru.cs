using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// Gated recurrent unit, PyTorch's <c>nn.GRU</c> (one layer, batch_first), gates in PyTorch's order
/// r, z, n (G = 3): with gx = W_ih·x_t + b_ih and gh = W_hh·h_{t−1} + b_hh split in three blocks of H,
/// r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r ⊙ gh_n), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1},
/// h_{−1} = 0. weight_ih [3H, inputs], weight_hh [3H, H], bias_ih [3H], bias_hh [3H].
/// Layout and the shape of the work: see Recurrent.Common.cs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Gru
{
    /// <summary>
    /// Forward over a batch of whole sequences. x: [batch, time, inputs]; y: [batch, time, H] when
    /// <paramref name="returnSequences"/>, else [batch, H] (the last step). Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Scratch (the first three kept for <see cref="Backward"/>):
    /// <list type="bullet">
    /// <item><paramref name="gates"/>: batch·time·3H — the activations r, z, n of every row.</item>
    /// <item><paramref name="hiddenCandidates"/>: batch·time·H — gh_n = W_hn·h_{t−1} + b_hn of every row.</item>
    /// <item><paramref name="previousStates"/>: batch·time·H — h_{t−1} of every row (zeros at t = 0).</item>
    /// <item><paramref name="state"/>: batch·H — the running state; holds h_{T−1} on return.</item>
    /// <item><paramref name="stepProducts"/>: batch·3H — W_hh·h_{t−1} + b_hh of one step.</item>
    /// </list>
    /// </remarks>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        Span<T> y, Span<T> gates, Span<T> hiddenCandidates, Span<T> previousStates, Span<T> state, Span<T> stepProducts,
        int batch, int time, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.Sizes(batch, time, inputs, hidden);
        RecurrentChecks.Parameters(weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length, 3, inputs, hidden);
        long rows = (long)batch * time;
        int g3 = 3 * hidden;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(y.Length, RecurrentChecks.OutputLength(batch, time, hidden, returnSequences), nameof(y));
        RecurrentChecks.Length(gates.Length, rows * g3, nameof(gates));
        RecurrentChecks.Length(hiddenCandidates.Length, rows * hidden, nameof(hiddenCandidates));
        RecurrentChecks.Length(previousStates.Length, rows * hidden, nameof(previousStates));
        RecurrentChecks.Length(state.Length, (long)batch * hidden, nameof(state));
        RecurrentChecks.Length(stepProducts.Length, (long)batch * g3, nameof(stepProducts));
        if (batch == 0) return;

        // Zero initial state h_{−1} = 0.
        state.Slice(0, batch * hidden).Clear();
        // All steps at once: gates[b,t] = W_ih·x[b,t] + b_ih (one product over batch·time rows).
        // (Both products against transposed copies, see Recurrent.Products.cs.)
        RecurrentProducts.Product(x, RecurrentProducts.Transposed(weightIh, g3, inputs), biasIh, gates, (int)rows, inputs, g3);
        // W_hhᵀ, made once for all steps.
        ReadOnlySpan<T> weightHhTransposed = RecurrentProducts.Transposed(weightHh, g3, hidden);
        for (int t = 0; t < time; t++)
        {
            // This step's hidden products W_hh·h_{t−1} + b_hh ([batch, 3H]); at t = 0 h is zero, so just b_hh.
            if (t > 0) RecurrentProducts.Product(state, weightHhTransposed, biasHh, stepProducts, batch, hidden, g3);
            for (int b = 0; b < batch; b++)
            {
                int row = b * time + t;
                Span<T> h = state.Slice(b * hidden, hidden);
                ReadOnlySpan<T> gh = t > 0 ? stepProducts.Slice(b * g3, g3) : biasHh.Slice(0, g3);
                // Keep h_{t−1} and gh_n for the backward pass, then the fused cell.
                if (t > 0) h.CopyTo(previousStates.Slice(row * hidden, hidden));
                else previousStates.Slice(row * hidden, hidden).Clear();
                gh.Slice(2 * hidden, hidden).CopyTo(hiddenCandidates.Slice(row * hidden, hidden));
                Cell(gates.Slice(row * g3, g3), gh, h, hidden);
            }
            RecurrentMath.WriteOutput<T>(state, y, batch, time, hidden, t, returnSequences);
        }
    }

    /// <summary>
    /// Backpropagation through time. <paramref name="dy"/> has y's shape (without return sequences
    /// the gradient enters at the last step only). Overwrites dWeightIh [3H, inputs], dWeightHh [3H, H],
    /// dBiasIh [3H], dBiasHh [3H] and, unless it is empty, dx [batch, time, inputs]. Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Reads <paramref name="gates"/>, <paramref name="hiddenCandidates"/> and <paramref name="previousStates"/> as <see cref="Forward"/> left them. Scratch:
    /// <list type="bullet">
    /// <item><paramref name="inputGateGradients"/>: batch·time·3H — ∂L/∂gx of every row.</item>
    /// <item><paramref name="hiddenGateGradients"/>: batch·time·3H — ∂L/∂gh of every row (differs from ∂L/∂gx in the n block: r ⊙ ∂L/∂a_n).</item>
    /// <item><paramref name="stepGradients"/>: batch·3H — ∂L/∂gh of one step, contiguous.</item>
    /// <item><paramref name="stateGradient"/>: batch·H — ∂L/∂h carried to the step before.</item>
    /// <item><paramref name="directGradient"/>: batch·H — the part z ⊙ ∂L/∂h_t that reaches h_{t−1} directly.</item>
    /// </list>
    /// </remarks>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> dy,
        ReadOnlySpan<T> gates, ReadOnlySpan<T> hiddenCandidates, ReadOnlySpan<T> previousStates,
        Span<T> dWeightIh, Span<T> dWeightHh, Span<T> dBiasIh, Span<T> dBiasHh, Span<T> dx,
        Span<T> inputGateGradients, Span<T> hiddenGateGradients, Span<T> stepGradients, Span<T> stateGradient, Span<T> directGradient,
        int batch, int time, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.Sizes(batch, time, inputs, hidden);
        int g3 = 3 * hidden;
        RecurrentChecks.Length(weightIh.Length, (long)g3 * inputs, nameof(weightIh));
        RecurrentChecks.Length(weightHh.Length, (long)g3 * hidden, nameof(weightHh));
        RecurrentMath.CheckGradients(dWeightIh.Length, dWeightHh.Length, dBiasIh.Length, dBiasHh.Length, dx.Length, batch, time, 3, inputs, hidden);
        long rows = (long)batch * time;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(dy.Length, RecurrentChecks.OutputLength(batch, time, hidden, returnSequences), nameof(dy));
        RecurrentChecks.Length(gates.Length, rows * g3, nameof(gates));
        RecurrentChecks.Length(hiddenCandidates.Length, rows * hidden, nameof(hiddenCandidates));
        RecurrentChecks.Length(previousStates.Length, rows * hidden, nameof(previousStates));
        RecurrentChecks.Length(inputGateGradients.Length, rows * g3, nameof(inputGateGradients));
        RecurrentChecks.Length(hiddenGateGradients.Length, rows * g3, nameof(hiddenGateGradients));
        RecurrentChecks.Length(stepGradients.Length, (long)batch * g3, nameof(stepGradients));
        RecurrentChecks.Length(stateGradient.Length, (long)batch * hidden, nameof(stateGradient));
        RecurrentChecks.Length(directGradient.Length, (long)batch * hidden, nameof(directGradient));
        if (batch == 0) return;

        stateGradient.Slice(0, batch * hidden).Clear();
        for (int t = time - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = b * time + t;
                ReadOnlySpan<T> act = gates.Slice(row * g3, g3), hn = hiddenCandidates.Slice(row * hidden, hidden), hPrev = previousStates.Slice(row * hidden, hidden);
                ReadOnlySpan<T> dyRow = RecurrentMath.OutputGradient(dy, b, t, time, hidden, returnSequences);
                Span<T> dgx = inputGateGradients.Slice(row * g3, g3), dgh = stepGradients.Slice(b * g3, g3);
                Span<T> dhCarried = stateGradient.Slice(b * hidden, hidden), direct = directGradient.Slice(b * hidden, hidden);
                for (int j = 0; j < hidden; j++)
                {
                    T r = act[j], z = act[hidden + j], n = act[2 * hidden + j];
                    // ∂L/∂h_t = (from step t+1) + dy; h_t = (1 − z)·n + z·h_{t−1}.
                    T dh = dyRow.IsEmpty ? dhCarried[j] : dhCarried[j] + dyRow[j];
                    direct[j] = dh * z;
                    // ∂L/∂a_n = ∂L/∂h·(1 − z)·(1 − n²); ∂L/∂a_z = ∂L/∂h·(h_{t−1} − n)·z(1 − z); ∂L/∂a_r = ∂L/∂a_n·gh_n·r(1 − r).
                    T dan = dh * (T.One - z) * (T.One - n * n);
                    T daz = dh * (hPrev[j] - n) * z * (T.One - z);
                    T dar = dan * hn[j] * r * (T.One - r);
                    dgx[j] = dar; dgx[hidden + j] = daz; dgx[2 * hidden + j] = dan;
                    // The hidden side: gh_n enters as r ⊙ gh_n.
                    dgh[j] = dar; dgh[hidden + j] = daz; dgh[2 * hidden + j] = dan * r;
                }
                dgh.CopyTo(hiddenGateGradients.Slice(row * g3, g3));
            }
            // ∂L/∂h_{t−1} = ∂L/∂gh · W_hh + z ⊙ ∂L/∂h_t.
            if (t > 0)
            {
                Dense.BackwardInput<T>(stepGradients, weightHh, stateGradient, batch, hidden, g3);
                RecurrentMath.AddInPlace(stateGradient.Slice(0, batch * hidden), directGradient.Slice(0, batch * hidden));
            }
        }
        RecurrentMath.WeightProducts<T>(x, weightIh, previousStates, inputGateGradients, hiddenGateGradients, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, (int)rows, inputs, hidden, g3);
    }

    /// <summary>
    /// One step for generation: the cell on one input step x [batch, inputs] with the state
    /// [batch, H] updated in place. O(1) in the sequence length, allocates nothing.
    /// Scratch <paramref name="stepProducts"/>: 2·batch·3H.
    /// </summary>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        Span<T> state, Span<T> stepProducts, int batch, int inputs, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.StepSizes(batch, inputs, hidden);
        RecurrentChecks.Parameters(weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length, 3, inputs, hidden);
        int g3 = 3 * hidden;
        RecurrentChecks.Length(x.Length, (long)batch * inputs, nameof(x));
        RecurrentChecks.Length(state.Length, (long)batch * hidden, nameof(state));
        RecurrentChecks.Length(stepProducts.Length, 2L * batch * g3, nameof(stepProducts));
        if (batch == 0) return;
        int n = batch * g3;
        Span<T> inputProducts = stepProducts.Slice(0, n), hiddenProducts = stepProducts.Slice(n, n);
        // gx = W_ih·x + b_ih and gh = W_hh·h + b_hh, then the same fused cell as the forward pass.
        Dense.Forward(x, weightIh, biasIh, inputProducts, batch, inputs, g3);
        Dense.Forward(state, weightHh, biasHh, hiddenProducts, batch, hidden, g3);
        for (int b = 0; b < batch; b++)
            Cell(inputProducts.Slice(b * g3, g3), hiddenProducts.Slice(b * g3, g3), state.Slice(b * hidden, hidden), hidden);
    }

    /// <summary>
    /// One row of the fused cell. <paramref name="act"/> holds gx = W_ih·x + b_ih [3H] and receives
    /// the activations r, z, n; <paramref name="h"/> holds h_{t−1} and receives h_t.
    /// </summary>
    private static void Cell<T>(Span<T> act, ReadOnlySpan<T> gh, Span<T> h, int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // r, z = σ(gx_rz + gh_rz).
        Span<T> rz = act.Slice(0, 2 * hidden), n = act.Slice(2 * hidden, hidden);
        RecurrentMath.AddInPlace(rz, gh.Slice(0, 2 * hidden));
        RecurrentActivations.Sigmoid<T>(rz, rz);
        // n = tanh(gx_n + r ⊙ gh_n).
        for (int j = 0; j < hidden; j++) n[j] += act[j] * gh[2 * hidden + j];
        RecurrentActivations.Tanh<T>(n, n);
        // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
        for (int j = 0; j < hidden; j++)
        {
            T z = act[hidden + j];
            h[j] = (T.One - z) * n[j] + z * h[j];
        }
    }
}
