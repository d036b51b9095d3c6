using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Weights;

/// <summary>A network declared with <c>[Network(Weights = ...)]</c>: the analysed model, the file it names, and where the attribute is.</summary>
public sealed record InferenceRequest(NetworkModel Model, string Weights, LocationInfo? At);

/// <summary>
/// What the inference emitter reads: the model and every tensor's values in the model's layout
/// (parameters, then buffers), already converted to the network's element type, little-endian.
/// </summary>
public sealed record InferenceModel(NetworkModel Model, EquatableArray<byte> Parameters, EquatableArray<byte> Buffers);

/// <summary>The binding of a request to its file: the model to emit, or the diagnostics that say why not.</summary>
public sealed record InferenceResult(InferenceModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Matches the tensors a network needs (PyTorch's names and shapes, from the analysis) against a
/// safetensors file: every needed tensor present with its shape and a dtype of F32 or F64, and
/// nothing else in the file. Each problem is one diagnostic at the <c>[Network]</c> attribute.
/// </summary>
internal static class WeightsBinding
{
    public static InferenceResult Bind(InferenceRequest request, EquatableArray<WeightsFile> files)
    {
        var diagnostics = new List<DiagnosticInfo>();
        string className = request.Model.Spec.ClassName;
        void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor d, params string[] args)
            => diagnostics.Add(new DiagnosticInfo(d, request.At, args.ToEquatableArray()));
        InferenceResult Failed() => new(null, diagnostics.ToEquatableArray());

        WeightsFile? file = files.FirstOrDefault(f => f.Matches(request.Weights));
        if (file is null)
        {
            Report(DiagnosticDescriptors.WeightsFileUnreadable, className, request.Weights,
                "it is not an AdditionalFiles item of the project: add <AdditionalFiles Include=\"" + request.Weights + "\" /> (the name must end in .safetensors)");
            return Failed();
        }
        if (file.Error is not null)
        {
            Report(DiagnosticDescriptors.WeightsFileUnreadable, className, request.Weights, file.Error);
            return Failed();
        }

        byte[] bytes = file.Bytes.ToArray();
        List<SafetensorsEntry> entries;
        long dataStart;
        try
        {
            entries = SafetensorsHeader.Parse(bytes, out dataStart);
        }
        catch (FormatException e)
        {
            Report(DiagnosticDescriptors.WeightsFileUnreadable, className, request.Weights, "it is not a safetensors file: " + e.Message);
            return Failed();
        }

        // Every tensor the network needs: present, of its shape, of a dtype the generator converts.
        var byName = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        foreach (SafetensorsEntry e in entries) byName[e.Name] = e;
        bool isDouble = request.Model.Spec.Precision == PrecisionKind.Double;
        var parameters = new List<byte>();
        var buffers = new List<byte>();
        foreach (TensorModel tensor in request.Model.Parameters.Concat(request.Model.Buffers))
        {
            if (!byName.TryGetValue(tensor.Name, out SafetensorsEntry? entry))
            {
                Report(DiagnosticDescriptors.WeightsTensorMissing, className, request.Weights, tensor.Name, tensor.ShapeText);
                continue;
            }
            byName.Remove(tensor.Name);
            if (!entry.Shape.Select(d => d).SequenceEqual(tensor.Shape.Select(d => (long)d)))
            {
                Report(DiagnosticDescriptors.WeightsTensorShape, className, request.Weights, tensor.Name, entry.ShapeText, tensor.ShapeText);
                continue;
            }
            int size = entry.DType switch { "F32" => 4, "F64" => 8, _ => 0 };
            if (size == 0)
            {
                Report(DiagnosticDescriptors.WeightsTensorDType, className, request.Weights, tensor.Name, entry.DType);
                continue;
            }
            if (entry.End - entry.Begin != (long)tensor.Length * size)
            {
                Report(DiagnosticDescriptors.WeightsFileUnreadable, className, request.Weights,
                    $"the tensor '{tensor.Name}' has {entry.End - entry.Begin} bytes of data, but {tensor.Length} {entry.DType} values take {(long)tensor.Length * size}");
                continue;
            }
            AppendConverted(tensor.Trainable ? parameters : buffers, bytes, dataStart + entry.Begin, tensor.Length, size == 8, isDouble);
        }
        foreach (SafetensorsEntry extra in entries.Where(e => byName.ContainsKey(e.Name)))
            Report(DiagnosticDescriptors.WeightsTensorExtra, className, request.Weights, extra.Name, extra.ShapeText);
        if (diagnostics.Count > 0) return Failed();
        return new InferenceResult(new InferenceModel(request.Model, parameters.ToEquatableArray(), buffers.ToEquatableArray()), EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>Appends <paramref name="count"/> values read as F32 or F64 at <paramref name="offset"/>, written as the element type (float or double), little-endian.</summary>
    private static void AppendConverted(List<byte> into, byte[] data, long offset, int count, bool fromDouble, bool toDouble)
    {
        int size = fromDouble ? 8 : 4;
        for (int i = 0; i < count; i++)
        {
            int at = checked((int)(offset + (long)i * size));
            double value = fromDouble ? BitConverter.Int64BitsToDouble(ReadInt64(data, at)) : SingleFromBits(ReadInt32(data, at));
            if (toDouble) into.AddRange(LittleEndian(BitConverter.GetBytes(value)));
            else into.AddRange(LittleEndian(BitConverter.GetBytes(fromDouble ? (float)value : SingleFromBits(ReadInt32(data, at)))));
        }
    }

    private static int ReadInt32(byte[] d, int at) => d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (d[at + 3] << 24);
    private static long ReadInt64(byte[] d, int at) => (uint)ReadInt32(d, at) | ((long)ReadInt32(d, at + 4) << 32);
    private static float SingleFromBits(int bits) => BitConverter.ToSingle(BitConverter.GetBytes(bits), 0);
    private static byte[] LittleEndian(byte[] b)
    {
        if (!BitConverter.IsLittleEndian) Array.Reverse(b);
        return b;
    }
}
