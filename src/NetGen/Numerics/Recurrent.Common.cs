using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

// What the three recurrent kernels (SimpleRnn, Lstm, Gru) share.
//
// Layout: sequences are row-major [batch, time, features] (PyTorch's batch_first=True); a row is one
// (sample, step) pair, row index b·time + t. Parameters are PyTorch's single-layer tensors
// weight_ih_l0 [G·H, inputs], weight_hh_l0 [G·H, H], bias_ih_l0 [G·H], bias_hh_l0 [G·H].
//
// Shape of the work (forward): the input-to-hidden products of all steps are ONE product over the
// batch·time rows (gates = x·W_ihᵀ + b_ih), then per step one product of the current state [batch, H]
// with W_hh (into a [batch, G·H] step buffer; both products against transposed copies of the
// weights, in broadcast form, see Recurrent.Products.cs; Step keeps Dense.Forward's dot form, which
// reads W once and suits batch 1) followed by a fused pass
// that adds the two, applies the gate nonlinearities (vectorised through the activation operators)
// and updates the state. Backward: per step (from the last) the gate gradients, then one product for
// the state gradient of the step before (Dense.BackwardInput); after the loop dW_ih, db_ih, dW_hh,
// db_hh and dx are each ONE product over all batch·time rows. For that the forward keeps each row's
// previous state h_{t−1} in a [batch, time, H] buffer (zeros at t = 0), aligned row for row with x.
internal static class RecurrentChecks
{
    public static void Sizes(int batch, int time, int inputs, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(time, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
    }

    public static void StepSizes(int batch, int inputs, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
    }

    /// <summary>Throws when a span is shorter than the kernel needs, naming the span and both sizes.</summary>
    public static void Length(int length, long required, string name)
    {
        if (length < required) throw new ArgumentException($"'{name}' needs at least {required} elements, got {length}.", name);
    }

    /// <summary>The four parameter tensors of a layer with <paramref name="gates"/>·H rows.</summary>
    public static void Parameters(int wIh, int wHh, int bIh, int bHh, int gates, int inputs, int hidden)
    {
        Length(wIh, (long)gates * hidden * inputs, "weightIh");
        Length(wHh, (long)gates * hidden * hidden, "weightHh");
        Length(bIh, (long)gates * hidden, "biasIh");
        Length(bHh, (long)gates * hidden, "biasHh");
    }

    /// <summary>y: [batch, time, H] with return sequences, else [batch, H].</summary>
    public static long OutputLength(int batch, int time, int hidden, bool returnSequences)
        => returnSequences ? (long)batch * time * hidden : (long)batch * hidden;
}

/// <summary>Element-wise helpers of the recurrent kernels.</summary>
internal static class RecurrentMath
{
    /// <summary>a ← a + b, element-wise.</summary>
    public static void AddInPlace<T>(Span<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && b.Length >= a.Length)
        {
            ref T ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b);
            for (; j + Vector256<T>.Count <= a.Length; j += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref ar, (nuint)j) + Vector256.LoadUnsafe(ref br, (nuint)j)).StoreUnsafe(ref ar, (nuint)j);
        }
        for (; j < a.Length; j++) a[j] += b[j];
    }

    /// <summary>
    /// The output of a forward pass: every step's state (y[b,t] = h_t) with return sequences, else the
    /// last state (y[b] = h_{T−1}). Called per step with that step's contiguous state [batch, H].
    /// </summary>
    public static void WriteOutput<T>(ReadOnlySpan<T> state, Span<T> y, int batch, int time, int hidden, int t, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (returnSequences)
            for (int b = 0; b < batch; b++) state.Slice(b * hidden, hidden).CopyTo(y.Slice((b * time + t) * hidden, hidden));
        else if (t == time - 1) state.Slice(0, batch * hidden).CopyTo(y);
    }

    /// <summary>The output gradient of row (b, t): dy[b,t] with return sequences, dy[b] at the last step, else none (empty).</summary>
    public static ReadOnlySpan<T> OutputGradient<T>(ReadOnlySpan<T> dy, int b, int t, int time, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (returnSequences) return dy.Slice((b * time + t) * hidden, hidden);
        return t == time - 1 ? dy.Slice(b * hidden, hidden) : default;
    }

    /// <summary>
    /// The products after the recurrence, each over all batch·time rows: dW_ih = Σ dgᵀ·x and
    /// db_ih = Σ dg (from the input-side gate gradients), dW_hh = Σ dg_hᵀ·h_{t−1} and db_hh = Σ dg_h
    /// (hidden side), and dx = dg·W_ih when <paramref name="dx"/> is not empty.
    /// </summary>
    public static void WeightProducts<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> previousStates,
        ReadOnlySpan<T> inputGateGradients, ReadOnlySpan<T> hiddenGateGradients,
        Span<T> dWeightIh, Span<T> dWeightHh, Span<T> dBiasIh, Span<T> dBiasHh, Span<T> dx, int rows, int inputs, int hidden, int gateRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dense.BackwardWeights(inputGateGradients, x, dWeightIh, dBiasIh, rows, inputs, gateRows);
        Dense.BackwardWeights(hiddenGateGradients, previousStates, dWeightHh, dBiasHh, rows, hidden, gateRows);
        if (!dx.IsEmpty) Dense.BackwardInput(inputGateGradients, weightIh, dx, rows, inputs, gateRows);
    }

    /// <summary>Checks the gradient outputs of a backward pass.</summary>
    public static void CheckGradients(int dWIh, int dWHh, int dBIh, int dBHh, int dx, int batch, int time, int gates, int inputs, int hidden)
    {
        RecurrentChecks.Length(dWIh, (long)gates * hidden * inputs, "dWeightIh");
        RecurrentChecks.Length(dWHh, (long)gates * hidden * hidden, "dWeightHh");
        RecurrentChecks.Length(dBIh, (long)gates * hidden, "dBiasIh");
        RecurrentChecks.Length(dBHh, (long)gates * hidden, "dBiasHh");
        if (dx != 0) RecurrentChecks.Length(dx, (long)batch * time * inputs, "dx");
    }
}
