using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen.Numerics;

/// <summary>
/// Elman recurrent layer, PyTorch's <c>nn.RNN</c> (tanh, one layer, batch_first):
/// h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh), h_{−1} = 0. G = 1: weight_ih [H, inputs],
/// weight_hh [H, H], bias_ih [H], bias_hh [H]. Layout and the shape of the work: see Recurrent.Common.cs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SimpleRnn
{
    /// <summary>
    /// Forward over a batch of whole sequences. x: [batch, time, inputs]; y: [batch, time, H] when
    /// <paramref name="returnSequences"/>, else [batch, H] (the last step). Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Scratch (kept for <see cref="Backward"/>, which reads the first two):
    /// <list type="bullet">
    /// <item><paramref name="states"/>: batch·time·H — h_t of every row.</item>
    /// <item><paramref name="previousStates"/>: batch·time·H — h_{t−1} of every row (zeros at t = 0).</item>
    /// <item><paramref name="state"/>: batch·H — the running state; holds h_{T−1} on return.</item>
    /// <item><paramref name="stepProducts"/>: batch·H — W_hh·h_{t−1} + b_hh of one step.</item>
    /// </list>
    /// </remarks>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        Span<T> y, Span<T> states, Span<T> previousStates, Span<T> state, Span<T> stepProducts,
        int batch, int time, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.Sizes(batch, time, inputs, hidden);
        RecurrentChecks.Parameters(weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length, 1, inputs, hidden);
        long rows = (long)batch * time;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(y.Length, RecurrentChecks.OutputLength(batch, time, hidden, returnSequences), nameof(y));
        RecurrentChecks.Length(states.Length, rows * hidden, nameof(states));
        RecurrentChecks.Length(previousStates.Length, rows * hidden, nameof(previousStates));
        RecurrentChecks.Length(state.Length, (long)batch * hidden, nameof(state));
        RecurrentChecks.Length(stepProducts.Length, (long)batch * hidden, nameof(stepProducts));
        if (batch == 0) return;

        // Zero initial state h_{−1} = 0.
        state.Slice(0, batch * hidden).Clear();
        // All steps at once: states[b,t] = W_ih·x[b,t] + b_ih (one product over batch·time rows).
        // (Both products against transposed copies, see Recurrent.Products.cs.)
        RecurrentProducts.Product(x, RecurrentProducts.Transposed(weightIh, hidden, inputs), biasIh, states, (int)rows, inputs, hidden);
        // W_hhᵀ, made once for all steps.
        ReadOnlySpan<T> weightHhTransposed = RecurrentProducts.Transposed(weightHh, hidden, hidden);
        for (int t = 0; t < time; t++)
        {
            // This step's hidden products W_hh·h_{t−1} + b_hh ([batch, H]); at t = 0 h is zero, so just b_hh.
            if (t > 0) RecurrentProducts.Product(state, weightHhTransposed, biasHh, stepProducts, batch, hidden, hidden);
            for (int b = 0; b < batch; b++)
            {
                int row = (b * time + t) * hidden;
                Span<T> h = state.Slice(b * hidden, hidden);
                // Keep h_{t−1} for dW_hh, then h_t = tanh(pre) in place of the pre-activation.
                if (t > 0) h.CopyTo(previousStates.Slice(row, hidden));
                else previousStates.Slice(row, hidden).Clear();
                Cell(states.Slice(row, hidden), t > 0 ? stepProducts.Slice(b * hidden, hidden) : biasHh.Slice(0, hidden), h);
            }
            RecurrentMath.WriteOutput<T>(state, y, batch, time, hidden, t, returnSequences);
        }
    }

    /// <summary>
    /// Backpropagation through time. <paramref name="dy"/> has y's shape (without return sequences
    /// the gradient enters at the last step only). Overwrites dWeightIh [H, inputs], dWeightHh [H, H],
    /// dBiasIh [H], dBiasHh [H] and, unless it is empty, dx [batch, time, inputs]. Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Reads <paramref name="states"/> and <paramref name="previousStates"/> as <see cref="Forward"/> left them. Scratch:
    /// <list type="bullet">
    /// <item><paramref name="gateGradients"/>: batch·time·H — ∂L/∂pre-activation of every row.</item>
    /// <item><paramref name="stepGradients"/>: batch·H — the same for one step, contiguous.</item>
    /// <item><paramref name="stateGradient"/>: batch·H — ∂L/∂h_{t} carried to the step before.</item>
    /// </list>
    /// </remarks>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> dy,
        ReadOnlySpan<T> states, ReadOnlySpan<T> previousStates,
        Span<T> dWeightIh, Span<T> dWeightHh, Span<T> dBiasIh, Span<T> dBiasHh, Span<T> dx,
        Span<T> gateGradients, Span<T> stepGradients, Span<T> stateGradient,
        int batch, int time, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.Sizes(batch, time, inputs, hidden);
        RecurrentChecks.Length(weightIh.Length, (long)hidden * inputs, nameof(weightIh));
        RecurrentChecks.Length(weightHh.Length, (long)hidden * hidden, nameof(weightHh));
        RecurrentMath.CheckGradients(dWeightIh.Length, dWeightHh.Length, dBiasIh.Length, dBiasHh.Length, dx.Length, batch, time, 1, inputs, hidden);
        long rows = (long)batch * time;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(dy.Length, RecurrentChecks.OutputLength(batch, time, hidden, returnSequences), nameof(dy));
        RecurrentChecks.Length(states.Length, rows * hidden, nameof(states));
        RecurrentChecks.Length(previousStates.Length, rows * hidden, nameof(previousStates));
        RecurrentChecks.Length(gateGradients.Length, rows * hidden, nameof(gateGradients));
        RecurrentChecks.Length(stepGradients.Length, (long)batch * hidden, nameof(stepGradients));
        RecurrentChecks.Length(stateGradient.Length, (long)batch * hidden, nameof(stateGradient));
        if (batch == 0) return;

        stateGradient.Slice(0, batch * hidden).Clear();
        for (int t = time - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * time + t) * hidden;
                ReadOnlySpan<T> h = states.Slice(row, hidden), dyRow = RecurrentMath.OutputGradient(dy, b, t, time, hidden, returnSequences);
                Span<T> carried = stateGradient.Slice(b * hidden, hidden), da = stepGradients.Slice(b * hidden, hidden);
                // ∂L/∂h_t = (from step t+1) + dy[b,t];  ∂L/∂pre = ∂L/∂h_t · (1 − h_t²).
                for (int j = 0; j < hidden; j++)
                {
                    T dh = dyRow.IsEmpty ? carried[j] : carried[j] + dyRow[j];
                    da[j] = dh * (T.One - h[j] * h[j]);
                }
                da.CopyTo(gateGradients.Slice(row, hidden));
            }
            // ∂L/∂h_{t−1} = ∂L/∂pre · W_hh (one product for the whole batch).
            if (t > 0) Dense.BackwardInput<T>(stepGradients, weightHh, stateGradient, batch, hidden, hidden);
        }
        // Both pre-activation gradients are the same for an Elman cell.
        RecurrentMath.WeightProducts<T>(x, weightIh, previousStates, gateGradients, gateGradients, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, (int)rows, inputs, hidden, hidden);
    }

    /// <summary>
    /// One step for generation: state ← tanh(W_ih·x + b_ih + W_hh·state + b_hh) for a batch of one
    /// input step x [batch, inputs], the state [batch, H] updated in place. O(1) in the sequence
    /// length, allocates nothing. Scratch <paramref name="stepProducts"/>: 2·batch·H.
    /// </summary>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        Span<T> state, Span<T> stepProducts, int batch, int inputs, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.StepSizes(batch, inputs, hidden);
        RecurrentChecks.Parameters(weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length, 1, inputs, hidden);
        RecurrentChecks.Length(x.Length, (long)batch * inputs, nameof(x));
        RecurrentChecks.Length(state.Length, (long)batch * hidden, nameof(state));
        RecurrentChecks.Length(stepProducts.Length, 2L * batch * hidden, nameof(stepProducts));
        if (batch == 0) return;
        int n = batch * hidden;
        Span<T> inputProducts = stepProducts.Slice(0, n), hiddenProducts = stepProducts.Slice(n, n);
        // W_ih·x + b_ih and W_hh·h + b_hh, then the same fused cell as the forward pass.
        Dense.Forward(x, weightIh, biasIh, inputProducts, batch, inputs, hidden);
        Dense.Forward(state, weightHh, biasHh, hiddenProducts, batch, hidden, hidden);
        for (int b = 0; b < batch; b++)
            Cell(inputProducts.Slice(b * hidden, hidden), hiddenProducts.Slice(b * hidden, hidden), state.Slice(b * hidden, hidden));
    }

    /// <summary>One row: pre ← tanh(pre + hiddenProducts) (pre holds W_ih·x + b_ih), then h ← pre.</summary>
    private static void Cell<T>(Span<T> pre, ReadOnlySpan<T> hiddenProducts, Span<T> h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentMath.AddInPlace(pre, hiddenProducts);
        Activations.Forward(default(TanhOperator<T>), pre, pre);
        pre.CopyTo(h);
    }
}
