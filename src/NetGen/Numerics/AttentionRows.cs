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
    /// The softmax's backward step for one row, in place: dS ← P ⊙ (dP − dot)·scale with dot = Σ P⊙dP, each element
    /// (p·(dp − dot))·scale in that order, in every lane and in the scalar tail.
    /// </summary>
    public static void SoftmaxGradient<T>(ReadOnlySpan<T> p, Span<T> ds, T dot, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = ds.Length, i = 0;
        if (p.Length < n) throw new ArgumentException("Probabilities shorter than the gradient row.", nameof(p));
        ref T pr = ref MemoryMarshal.GetReference(p);
        ref T dr = ref MemoryMarshal.GetReference(ds);
        if (Simd.IsSupported<T>() && Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref pr, (nuint)i) * (Vector512.LoadUnsafe(ref dr, (nuint)i) - Vector512.Create(dot)) * scale).StoreUnsafe(ref dr, (nuint)i);
        if (Simd.IsSupported<T>() && Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref pr, (nuint)i) * (Vector256.LoadUnsafe(ref dr, (nuint)i) - Vector256.Create(dot)) * scale).StoreUnsafe(ref dr, (nuint)i);
        for (; i < n; i++) ds[i] = p[i] * (ds[i] - dot) * scale;
    }

    /// <summary>
    /// Softmax of row[0..length) in place, the row maximum subtracted first: p = e^(s − max) / Σ e^(s − max).
    /// Entries from <paramref name="length"/> to the end of the row are set to exactly 0 (masked positions).
    /// </summary>
    public static void Softmax<T>(Span<T> row, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd.IsSupported<T>() && Vector512.IsHardwareAccelerated)
        {
            if (length >= Vector512<T>.Count) SoftmaxWide(row, length);
            else
            {
                // A short row as one vector padded with −∞ (e^−∞ = 0 adds nothing), so its exponentials are the
                // same vector operation as a long row's and equal scores give exactly equal probabilities.
                Span<T> padded = stackalloc T[16];
                padded = padded.Slice(0, Vector512<T>.Count);
                row.Slice(0, length).CopyTo(padded);
                padded.Slice(length).Fill(T.NegativeInfinity);
                SoftmaxWide(padded, padded.Length);
                padded.Slice(0, length).CopyTo(row);
            }
            row.Slice(length).Clear();
            return;
        }
        Span<T> live = row.Slice(0, length);
        T max = RowMath.Max<T>(live);
        T sum = RowMath.SumExp<T>(live, max, live);
        RowMath.Scale(live, T.One / sum);
        row.Slice(length).Clear();
    }
    /// <summary>
    /// Softmax of row[0..length) for length ≥ one 512-bit vector (shorter rows come padded): whole vectors, then one more vector ending at
    /// <paramref name="length"/> whose lanes the whole vectors already covered are selected away (no scalar tail:
    /// a causal row's 1..time lengths left up to 15 scalar exponentials per row, half the time of the attention
    /// core's forward pass at 64 steps). The exponentials and the scale are the same vector operations for every lane.
    /// </summary>
    private static void SoftmaxWide<T>(Span<T> row, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count, whole = length / v * v, tail = length - v;
        ref T r = ref MemoryMarshal.GetReference(row);
        // The maximum over every live lane (the overlap of the last vector does not matter to a maximum).
        Vector512<T> tailInput = Vector512.LoadUnsafe(ref r, (nuint)tail), m = tailInput;
        for (int i = 0; i < whole; i += v)
        {
            Vector512<T> x = Vector512.LoadUnsafe(ref r, (nuint)i);
            m = Vector512.ConditionalSelect(Vector512.GreaterThan(x, m), x, m);
        }
        Vector256<T> m256 = Vector256.ConditionalSelect(Vector256.GreaterThan(m.GetUpper(), m.GetLower()), m.GetUpper(), m.GetLower());
        Vector128<T> m128 = Vector128.ConditionalSelect(Vector128.GreaterThan(m256.GetUpper(), m256.GetLower()), m256.GetUpper(), m256.GetLower());
        T max = m128.GetElement(0);
        for (int l = 1; l < Vector128<T>.Count; l++) if (m128.GetElement(l) > max) max = m128.GetElement(l);
        // e = exp(s − max), stored in place, and its sum; the last vector's already-counted lanes keep what the
        // whole vectors stored and add nothing.
        Vector512<T> shift = Vector512.Create(max), sum = Vector512<T>.Zero;
        for (int i = 0; i < whole; i += v)
        {
            Vector512<T> e = VectorMath.Exp(Vector512.LoadUnsafe(ref r, (nuint)i) - shift);
            e.StoreUnsafe(ref r, (nuint)i);
            sum += e;
        }
        Vector512<T> fresh = Simd512<T>.LanesFrom(whole - tail);
        if (whole < length)
        {
            Vector512<T> e = VectorMath.Exp(tailInput - shift);
            Vector512.ConditionalSelect(fresh, e, Vector512.LoadUnsafe(ref r, (nuint)tail)).StoreUnsafe(ref r, (nuint)tail);
            sum += Vector512.ConditionalSelect(fresh, e, Vector512<T>.Zero);
        }
        // p = e · (1/Σe).
        Vector512<T> scale = Vector512.Create(T.One / Vector512.Sum(sum));
        for (int i = 0; i < whole; i += v) (Vector512.LoadUnsafe(ref r, (nuint)i) * scale).StoreUnsafe(ref r, (nuint)i);
        if (whole < length)
        {
            Vector512<T> e = Vector512.LoadUnsafe(ref r, (nuint)tail);
            Vector512.ConditionalSelect(fresh, e * scale, e).StoreUnsafe(ref r, (nuint)tail);
        }
    }
}
