using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>Adds one gradient into another (gradient accumulation across backward passes). Nothing here allocates.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Accumulation
{
    /// <summary>target[i] ← target[i] + source[i] for every i.</summary>
    /// <exception cref="ArgumentException">The spans differ in length; the message names both lengths.</exception>
    public static void Add<T>(ReadOnlySpan<T> source, Span<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (source.Length != target.Length)
            throw new ArgumentException($"Expected {target.Length} values to add, but got {source.Length}.", nameof(source));
        ref T s = ref MemoryMarshal.GetReference(source);
        ref T t = ref MemoryMarshal.GetReference(target);
        int n = target.Length, i = 0;
        // Element-wise sums: vectors, then the tail; each element's sum is the same whatever the width.
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref t, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref t, (nuint)i);
        for (; i < n; i++) target[i] += source[i];
    }
}
