using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The row operations attention is made of, vectorised with the widest vector that fits, then
/// narrower ones, then scalars (rows are short: a head is often 16–64 wide, a causal row 1..time).
/// Each element's operations (and their order) never depend on the vector width or the blocking.
/// </summary>
internal static partial class AttentionRows
{
    /// <summary>y ← y + x, element-wise over y's length.</summary>
    public static void Add<T>(Span<T> y, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Add(y, y, x);

    /// <summary>destination ← a + b, element-wise over destination's length (destination may be a or b).</summary>
    public static void Add<T>(Span<T> destination, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T dr = ref MemoryMarshal.GetReference(destination);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        int n = destination.Length, i = 0;
        if (a.Length < n || b.Length < n) throw new ArgumentException($"Expected at least {n} elements, got {Math.Min(a.Length, b.Length)}.", a.Length < n ? nameof(a) : nameof(b));
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref ar, (nuint)i) + Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) destination[i] = a[i] + b[i];
    }

    /// <summary>destination ← a ⊙ b, element-wise over destination's length (destination may be a or b): a dropout mask applied.</summary>
    public static void Multiply<T>(Span<T> destination, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T dr = ref MemoryMarshal.GetReference(destination);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        int n = destination.Length, i = 0;
        if (a.Length < n || b.Length < n) throw new ArgumentException($"Expected at least {n} elements, got {Math.Min(a.Length, b.Length)}.", a.Length < n ? nameof(a) : nameof(b));
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref ar, (nuint)i) * Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) destination[i] = a[i] * b[i];
    }

    /// <summary>
    /// Softmax of row[0..length) in place, the row maximum subtracted first: p = e^(s − max) / Σ e^(s − max).
    /// Entries from <paramref name="length"/> to the end of the row are set to exactly 0 (masked positions).
    /// </summary>
    public static void Softmax<T>(Span<T> row, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> live = row.Slice(0, length);
        T max = RowMath.Max<T>(live);
        T sum = RowMath.SumExp<T>(live, max, live);
        RowMath.Scale(live, T.One / sum);
        row.Slice(length).Clear();
    }
}
