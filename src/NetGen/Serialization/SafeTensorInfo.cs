using System;

namespace NetGen.Serialization;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The tensor's name (<c>layers.0.weight</c>).</param>
/// <param name="DType">Its element type as the format spells it: F32, F64, F16, BF16, I64, U8, ...</param>
/// <param name="Shape">Its shape, row-major.</param>
/// <param name="DataBegin">Where its bytes start, relative to the data area after the header.</param>
/// <param name="DataEnd">Where they end (exclusive).</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long DataBegin, long DataEnd)
{
    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public long ElementCount
    {
        get { long n = 1; foreach (long d in Shape) n *= d; return n; }
    }

    /// <summary>The byte size of one element of <paramref name="dtype"/>, or 0 when the format does not define it.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => 0,
    };

    /// <summary>Whether the shapes are equal.</summary>
    internal bool HasShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length != Shape.Length) return false;
        for (int i = 0; i < shape.Length; i++) if (shape[i] != Shape[i]) return false;
        return true;
    }

    /// <summary>The name, dtype and shape: <c>layers.0.weight F32 [128, 784]</c>.</summary>
    public override string ToString() => $"{Name} {DType} {ShapeText}";

    /// <summary>The shape as PyTorch prints it: [128, 784].</summary>
    internal string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
