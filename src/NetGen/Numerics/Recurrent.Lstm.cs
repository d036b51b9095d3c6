using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// Long short-term memory, PyTorch's <c>nn.LSTM</c> (one layer, batch_first), gates in PyTorch's order
/// i, f, g, o (G = 4): with a = W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh split in four blocks of H,
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t),
/// h_{−1} = c_{−1} = 0. weight_ih [4H, inputs], weight_hh [4H, H], bias_ih [4H], bias_hh [4H].
/// Layout and the shape of the work: see Recurrent.Common.cs.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lstm
{
    /// <summary>
    /// Forward over a batch of whole sequences. x: [batch, time, inputs]; y: [batch, time, H] when
    /// <paramref name="returnSequences"/>, else [batch, H] (the last step). Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Scratch (the first three kept for <see cref="Backward"/>):
    /// <list type="bullet">
    /// <item><paramref name="gates"/>: batch·time·4H — the activations i, f, g, o of every row.</item>
    /// <item><paramref name="cells"/>: batch·time·H — c_t of every row.</item>
    /// <item><paramref name="previousStates"/>: batch·time·H — h_{t−1} of every row (zeros at t = 0).</item>
    /// <item><paramref name="state"/>: batch·H — the running h; holds h_{T−1} on return (c_{T−1} is cells[b, T−1]).</item>
    /// <item><paramref name="stepProducts"/>: batch·4H — W_hh·h_{t−1} + b_hh of one step.</item>
    /// </list>
    /// </remarks>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        Span<T> y, Span<T> gates, Span<T> cells, Span<T> previousStates, Span<T> state, Span<T> stepProducts,
        int batch, int time, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.Sizes(batch, time, inputs, hidden);
        RecurrentChecks.Parameters(weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length, 4, inputs, hidden);
        long rows = (long)batch * time;
        int g4 = 4 * hidden;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(y.Length, RecurrentChecks.OutputLength(batch, time, hidden, returnSequences), nameof(y));
        RecurrentChecks.Length(gates.Length, rows * g4, nameof(gates));
        RecurrentChecks.Length(cells.Length, rows * hidden, nameof(cells));
        RecurrentChecks.Length(previousStates.Length, rows * hidden, nameof(previousStates));
        RecurrentChecks.Length(state.Length, (long)batch * hidden, nameof(state));
        RecurrentChecks.Length(stepProducts.Length, (long)batch * g4, nameof(stepProducts));
        if (batch == 0) return;

        // Zero initial state h_{−1} = 0.
        state.Slice(0, batch * hidden).Clear();
        // One product per step over the stacked input [x_t, h_{t−1}] ([batch, inputs + H]) and the stacked,
        // transposed weights [W_ih W_hh]ᵀ (rows padded, see RecurrentProducts.PaddedWidth): a = W_ih·x_t + W_hh·h_{t−1}.
        // (Broadcast form, no lane sums; per step rather than one product over all batch·time rows, because the
        // LSTM's 4H-wide gate rows are what made that product slow, and this way x_t is read where it is used.)
        int width = RecurrentProducts.PaddedWidth<T>(g4), stacked = inputs + hidden;
        ReadOnlySpan<T> weights = RecurrentProducts.StackedTransposed(weightIh, weightHh, g4, inputs, hidden, width);
        Span<T> stackedInput = RecurrentProducts.Scratch<T>(2, batch * stacked), sums = RecurrentProducts.Scratch<T>(3, batch * width);
        // Both biases summed once: b = b_ih + b_hh (in stepProducts).
        Span<T> bias = stepProducts.Slice(0, g4);
        biasIh.Slice(0, g4).CopyTo(bias);
        RecurrentMath.AddInPlace(bias, biasHh.Slice(0, g4));
        for (int t = 0; t < time; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                x.Slice((b * time + t) * inputs, inputs).CopyTo(stackedInput.Slice(b * stacked, inputs));
                state.Slice(b * hidden, hidden).CopyTo(stackedInput.Slice(b * stacked + inputs, hidden));
            }
            // sums[b] = [x_t, h_{t−1}]·[W_ih W_hh]ᵀ (at t = 0 the h half is zeros).
            Dense.BackwardInput<T>(stackedInput, weights, sums, batch, width, stacked);
            for (int b = 0; b < batch; b++)
            {
                int row = b * time + t;
                Span<T> h = state.Slice(b * hidden, hidden);
                // Keep h_{t−1} for dW_hh, then the fused cell: gates, c_t and h_t.
                if (t > 0) h.CopyTo(previousStates.Slice(row * hidden, hidden));
                else previousStates.Slice(row * hidden, hidden).Clear();
                Cell(sums.Slice(b * width, g4), bias, gates.Slice(row * g4, g4),
                    t > 0 ? cells.Slice((row - 1) * hidden, hidden) : default, cells.Slice(row * hidden, hidden), h, hidden);
            }
            RecurrentMath.WriteOutput<T>(state, y, batch, time, hidden, t, returnSequences);
        }
    }

    /// <summary>
    /// Backpropagation through time. <paramref name="dy"/> has y's shape (without return sequences
    /// the gradient enters at the last step only). Overwrites dWeightIh [4H, inputs], dWeightHh [4H, H],
    /// dBiasIh [4H], dBiasHh [4H] and, unless it is empty, dx [batch, time, inputs]. Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Reads <paramref name="gates"/>, <paramref name="cells"/> and <paramref name="previousStates"/> as <see cref="Forward"/> left them. Scratch:
    /// <list type="bullet">
    /// <item><paramref name="gateGradients"/>: batch·time·4H — ∂L/∂a (pre-activations) of every row.</item>
    /// <item><paramref name="stepGradients"/>: batch·4H — the same for one step, contiguous.</item>
    /// <item><paramref name="stateGradient"/>: batch·H — ∂L/∂h carried to the step before.</item>
    /// <item><paramref name="cellGradient"/>: batch·H — ∂L/∂c carried to the step before.</item>
    /// </list>
    /// </remarks>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> dy,
        ReadOnlySpan<T> gates, ReadOnlySpan<T> cells, ReadOnlySpan<T> previousStates,
        Span<T> dWeightIh, Span<T> dWeightHh, Span<T> dBiasIh, Span<T> dBiasHh, Span<T> dx,
        Span<T> gateGradients, Span<T> stepGradients, Span<T> stateGradient, Span<T> cellGradient,
        int batch, int time, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.Sizes(batch, time, inputs, hidden);
        int g4 = 4 * hidden;
        RecurrentChecks.Length(weightIh.Length, (long)g4 * inputs, nameof(weightIh));
        RecurrentChecks.Length(weightHh.Length, (long)g4 * hidden, nameof(weightHh));
        RecurrentMath.CheckGradients(dWeightIh.Length, dWeightHh.Length, dBiasIh.Length, dBiasHh.Length, dx.Length, batch, time, 4, inputs, hidden);
        long rows = (long)batch * time;
        RecurrentChecks.Length(x.Length, rows * inputs, nameof(x));
        RecurrentChecks.Length(dy.Length, RecurrentChecks.OutputLength(batch, time, hidden, returnSequences), nameof(dy));
        RecurrentChecks.Length(gates.Length, rows * g4, nameof(gates));
        RecurrentChecks.Length(cells.Length, rows * hidden, nameof(cells));
        RecurrentChecks.Length(previousStates.Length, rows * hidden, nameof(previousStates));
        RecurrentChecks.Length(gateGradients.Length, rows * g4, nameof(gateGradients));
        RecurrentChecks.Length(stepGradients.Length, (long)batch * g4, nameof(stepGradients));
        RecurrentChecks.Length(stateGradient.Length, (long)batch * hidden, nameof(stateGradient));
        RecurrentChecks.Length(cellGradient.Length, (long)batch * hidden, nameof(cellGradient));
        if (batch == 0) return;

        stateGradient.Slice(0, batch * hidden).Clear();
        cellGradient.Slice(0, batch * hidden).Clear();
        for (int t = time - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = b * time + t;
                ReadOnlySpan<T> act = gates.Slice(row * g4, g4), c = cells.Slice(row * hidden, hidden);
                ReadOnlySpan<T> cPrev = t > 0 ? cells.Slice((row - 1) * hidden, hidden) : default;
                ReadOnlySpan<T> dyRow = RecurrentMath.OutputGradient(dy, b, t, time, hidden, returnSequences);
                Span<T> da = stepGradients.Slice(b * g4, g4), dhCarried = stateGradient.Slice(b * hidden, hidden), dcCarried = cellGradient.Slice(b * hidden, hidden);
                // tanh(c_t), vectorised, parked in the o block of da (each element read before its da_o is written).
                Span<T> tanhC = da.Slice(3 * hidden, hidden);
                RecurrentActivations.Tanh(c, tanhC);
                int j = GateGradientsVector(act, tanhC, cPrev, dyRow, dhCarried, dcCarried, da, hidden);
                for (; j < hidden; j++)
                {
                    T i = act[j], f = act[hidden + j], g = act[2 * hidden + j], o = act[3 * hidden + j], tc = tanhC[j];
                    // ∂L/∂h_t = (from step t+1) + dy;  ∂L/∂c_t = (from step t+1) + ∂L/∂h_t·o·(1 − tanh²c_t).
                    T dh = dyRow.IsEmpty ? dhCarried[j] : dhCarried[j] + dyRow[j];
                    T dc = dcCarried[j] + dh * o * (T.One - tc * tc);
                    // ∂L/∂c_{t−1} = ∂L/∂c_t·f, carried.
                    dcCarried[j] = dc * f;
                    // Pre-activation gradients: σ' = s(1 − s), tanh' = 1 − g².
                    T cp = cPrev.IsEmpty ? T.Zero : cPrev[j];
                    da[j] = dc * g * i * (T.One - i);
                    da[hidden + j] = dc * cp * f * (T.One - f);
                    da[2 * hidden + j] = dc * i * (T.One - g * g);
                    da[3 * hidden + j] = dh * tc * o * (T.One - o);
                }
                da.CopyTo(gateGradients.Slice(row * g4, g4));
            }
            // ∂L/∂h_{t−1} = ∂L/∂a · W_hh (one product for the whole batch).
            if (t > 0) Dense.BackwardInput<T>(stepGradients, weightHh, stateGradient, batch, hidden, g4);
        }
        // The input-side and hidden-side pre-activation gradients are the same for an LSTM.
        RecurrentMath.WeightProducts<T>(x, weightIh, previousStates, gateGradients, gateGradients, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, (int)rows, inputs, hidden, g4);
    }

    /// <summary>
    /// The gate-gradient loop of <see cref="Backward"/> over whole 256-bit vectors (the same operations,
    /// lane by lane, as the scalar loop that finishes the row); returns where the scalar loop starts.
    /// </summary>
    private static int GateGradientsVector<T>(ReadOnlySpan<T> act, ReadOnlySpan<T> tanhC, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dyRow,
        Span<T> dhCarried, Span<T> dcCarried, Span<T> da, int hidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported) return 0;
        ref T a = ref MemoryMarshal.GetReference(act), tcr = ref MemoryMarshal.GetReference(tanhC), cpr = ref MemoryMarshal.GetReference(cPrev), dyr = ref MemoryMarshal.GetReference(dyRow);
        ref T dhr = ref MemoryMarshal.GetReference(dhCarried), dcr = ref MemoryMarshal.GetReference(dcCarried), dar = ref MemoryMarshal.GetReference(da);
        nuint h = (nuint)hidden, j = 0;
        Vector256<T> one = Vector256<T>.One;
        for (; j + (nuint)Vector256<T>.Count <= h; j += (nuint)Vector256<T>.Count)
        {
            Vector256<T> i = Vector256.LoadUnsafe(ref a, j), f = Vector256.LoadUnsafe(ref a, h + j);
            Vector256<T> g = Vector256.LoadUnsafe(ref a, 2 * h + j), o = Vector256.LoadUnsafe(ref a, 3 * h + j), tc = Vector256.LoadUnsafe(ref tcr, j);
            Vector256<T> dh = dyRow.IsEmpty ? Vector256.LoadUnsafe(ref dhr, j) : Vector256.LoadUnsafe(ref dhr, j) + Vector256.LoadUnsafe(ref dyr, j);
            Vector256<T> dc = Vector256.LoadUnsafe(ref dcr, j) + dh * o * (one - tc * tc);
            (dc * f).StoreUnsafe(ref dcr, j);
            Vector256<T> cp = cPrev.IsEmpty ? Vector256<T>.Zero : Vector256.LoadUnsafe(ref cpr, j);
            (dc * g * i * (one - i)).StoreUnsafe(ref dar, j);
            (dc * cp * f * (one - f)).StoreUnsafe(ref dar, h + j);
            (dc * i * (one - g * g)).StoreUnsafe(ref dar, 2 * h + j);
            (dh * tc * o * (one - o)).StoreUnsafe(ref dar, 3 * h + j);
        }
        return (int)j;
    }

    /// <summary>
    /// One step for generation: the cell on one input step x [batch, inputs] with the states h
    /// (<paramref name="state"/>) and c (<paramref name="cell"/>), each [batch, H], updated in place.
    /// O(1) in the sequence length, allocates nothing. Scratch <paramref name="stepProducts"/>: 2·batch·4H.
    /// </summary>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        Span<T> state, Span<T> cell, Span<T> stepProducts, int batch, int inputs, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentChecks.StepSizes(batch, inputs, hidden);
        RecurrentChecks.Parameters(weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length, 4, inputs, hidden);
        int g4 = 4 * hidden;
        RecurrentChecks.Length(x.Length, (long)batch * inputs, nameof(x));
        RecurrentChecks.Length(state.Length, (long)batch * hidden, nameof(state));
        RecurrentChecks.Length(cell.Length, (long)batch * hidden, nameof(cell));
        RecurrentChecks.Length(stepProducts.Length, 2L * batch * g4, nameof(stepProducts));
        if (batch == 0) return;
        int n = batch * g4;
        Span<T> inputProducts = stepProducts.Slice(0, n), hiddenProducts = stepProducts.Slice(n, n);
        // W_ih·x + b_ih and W_hh·h + b_hh, then the same fused cell as the forward pass.
        Dense.Forward(x, weightIh, biasIh, inputProducts, batch, inputs, g4);
        Dense.Forward(state, weightHh, biasHh, hiddenProducts, batch, hidden, g4);
        for (int b = 0; b < batch; b++)
        {
            Span<T> c = cell.Slice(b * hidden, hidden);
            Cell(inputProducts.Slice(b * g4, g4), hiddenProducts.Slice(b * g4, g4), inputProducts.Slice(b * g4, g4), c, c, state.Slice(b * hidden, hidden), hidden);
        }
    }

    /// <summary>
    /// One row of the fused cell. The pre-activations are a = <paramref name="first"/> + <paramref name="second"/> [4H]
    /// (the step's products and the summed biases, or Step's two products); <paramref name="act"/> receives the
    /// activations i, f, g, o (it may be <paramref name="first"/>); c ← f ⊙ cPrev + i ⊙ g (cPrev empty: zero; it may be
    /// c itself); h ← o ⊙ tanh(c). One pass: whole 256-bit vectors of units first, then the units left one by one
    /// (the same operations lane by lane).
    /// </summary>
    private static void Cell<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> act, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = CellVector(first, second, act, cPrev, c, h, hidden);
        SigmoidOperator<T> sigmoid = default;
        TanhOperator<T> tanh = default;
        for (; j < hidden; j++)
        {
            // a = first + second; i, f = σ(a_i, a_f); g = tanh(a_g); o = σ(a_o).
            T i = sigmoid.Invoke(first[j] + second[j]), f = sigmoid.Invoke(first[hidden + j] + second[hidden + j]);
            T g = tanh.Invoke(first[2 * hidden + j] + second[2 * hidden + j]), o = sigmoid.Invoke(first[3 * hidden + j] + second[3 * hidden + j]);
            act[j] = i; act[hidden + j] = f; act[2 * hidden + j] = g; act[3 * hidden + j] = o;
            // c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t).
            T ig = i * g;
            T ct = cPrev.IsEmpty ? ig : f * cPrev[j] + ig;
            c[j] = ct;
            h[j] = o * tanh.Invoke(ct);
        }
    }

    /// <summary>The cell over whole 256-bit vectors of units (σ and tanh of RecurrentActivations); returns where the scalar loop starts.</summary>
    private static int CellVector<T>(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> act, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported) return 0;
        ref T a = ref MemoryMarshal.GetReference(first), p = ref MemoryMarshal.GetReference(second), d = ref MemoryMarshal.GetReference(act);
        ref T cpr = ref MemoryMarshal.GetReference(cPrev), cr = ref MemoryMarshal.GetReference(c), hr = ref MemoryMarshal.GetReference(h);
        nuint hn = (nuint)hidden, j = 0;
        for (; j + (nuint)Vector256<T>.Count <= hn; j += (nuint)Vector256<T>.Count)
        {
            Vector256<T> i = RecurrentActivations.Sigmoid(Vector256.LoadUnsafe(ref a, j) + Vector256.LoadUnsafe(ref p, j));
            Vector256<T> f = RecurrentActivations.Sigmoid(Vector256.LoadUnsafe(ref a, hn + j) + Vector256.LoadUnsafe(ref p, hn + j));
            Vector256<T> g = RecurrentActivations.Tanh(Vector256.LoadUnsafe(ref a, 2 * hn + j) + Vector256.LoadUnsafe(ref p, 2 * hn + j));
            Vector256<T> o = RecurrentActivations.Sigmoid(Vector256.LoadUnsafe(ref a, 3 * hn + j) + Vector256.LoadUnsafe(ref p, 3 * hn + j));
            i.StoreUnsafe(ref d, j); f.StoreUnsafe(ref d, hn + j); g.StoreUnsafe(ref d, 2 * hn + j); o.StoreUnsafe(ref d, 3 * hn + j);
            Vector256<T> ig = i * g;
            Vector256<T> ct = cPrev.IsEmpty ? ig : f * Vector256.LoadUnsafe(ref cpr, j) + ig;
            ct.StoreUnsafe(ref cr, j);
            (o * RecurrentActivations.Tanh(ct)).StoreUnsafe(ref hr, j);
        }
        return (int)j;
    }
}
