using System;
using System.Collections.Generic;
using NetGen;

/// <summary>
/// Net2DeeperNet (Chen, Goodfellow and Shlens 2016) for the generators here: a trained network's tensors are copied
/// into a deeper one whose extra layers are square 3×3 convolutions followed by ReLU on an input that is already past a
/// ReLU, and each extra convolution is set to the identity (centre tap 1 from channel c to channel c, all else 0,
/// bias 0), so the deeper network starts as the same function and training goes on with the extra capacity. The
/// same holds for a discriminator whose LeakyReLU moves behind the new convolution: LeakyReLU(I·u) = LeakyReLU(u).
/// </summary>
internal static class Deepening
{
    /// <summary>
    /// Copies <paramref name="source"/>'s parameters, Adam state, step count and buffers into <paramref name="target"/>,
    /// matching tensors in order by shape; every target tensor with no match must be a new layer's square 3×3 weight
    /// (set to the identity) or its bias (zero); a new tensor's Adam second moment is the mean of the next trained
    /// tensor's. Returns the names of the new tensors.
    /// </summary>
    public static List<string> Deepen<TSource, TTarget>(TSource source, TTarget target)
        where TSource : INetworkState<float> where TTarget : INetworkState<float>
    {
        if (source.OptimizerStateSlots != target.OptimizerStateSlots)
            throw new ArgumentException($"The optimizers differ: {source.OptimizerStateSlots} state slots against {target.OptimizerStateSlots}.");
        target.InitializeParameters(seed: 1);
        var added = new List<string>();
        IReadOnlyList<ParameterTensor> from = source.ParameterTensors, to = target.ParameterTensors;
        int next = 0;
        foreach (ParameterTensor tensor in to)
        {
            int length = Length(tensor.Shape);
            if (next < from.Count && SameShape(from[next].Shape, tensor.Shape))
            {
                // A tensor of the trained network: its values and every Adam slot (m, v) at the same place.
                source.Parameters.Slice(from[next].Offset, length).CopyTo(target.Parameters.Slice(tensor.Offset, length));
                for (int slot = 0; slot < source.OptimizerStateSlots; slot++)
                    source.OptimizerState.Slice(slot * source.ParameterCount + from[next].Offset, length)
                        .CopyTo(target.OptimizerState.Slice(slot * target.ParameterCount + tensor.Offset, length));
                next++;
                continue;
            }
            // A new layer's tensor: the identity convolution, or its zero bias. Its Adam state: first moment zero, and
            // (Adam) the second moment set to the mean of the next trained tensor's (the layer it feeds): left at zero
            // so late in training, where the bias correction is ≈ 1, the first updates would be ≈ 16× the usual size
            // (0.5·g / √(0.001·g²)) and throw the generator off (one step from zero: score 6.650 → 4.168).
            Span<float> values = target.Parameters.Slice(tensor.Offset, length);
            values.Clear();
            for (int slot = 0; slot < target.OptimizerStateSlots; slot++)
                target.OptimizerState.Slice(slot * target.ParameterCount + tensor.Offset, length).Clear();
            if (target.OptimizerStateSlots == 2 && from.Count > 0)
            {
                ParameterTensor fed = from[Math.Min(next, from.Count - 1)];
                ReadOnlySpan<float> fedSecond = source.OptimizerState.Slice(source.ParameterCount + fed.Offset, Length(fed.Shape));
                double sum = 0;
                foreach (float v in fedSecond) sum += v;
                target.OptimizerState.Slice(target.ParameterCount + tensor.Offset, length).Fill((float)(sum / fedSecond.Length));
            }
            if (tensor.Shape is [int filters, int channels, 3, 3] && filters == channels)
                for (int c = 0; c < channels; c++) values[(c * channels + c) * 9 + 4] = 1;
            else if (tensor.Shape.Length != 1)
                throw new ArgumentException($"{tensor.Name} [{string.Join(", ", tensor.Shape)}] matches no tensor of the trained network and is not a square 3×3 convolution or a bias.");
            added.Add(tensor.Name);
        }
        if (next != from.Count)
            throw new ArgumentException($"{from.Count - next} tensors of the trained network found no place, the first {from[next].Name}.");
        if (source.Buffers.Length != target.Buffers.Length)
            throw new ArgumentException($"The running statistics differ: {source.Buffers.Length} values against {target.Buffers.Length}.");
        source.Buffers.CopyTo(target.Buffers);
        target.OptimizerStep = source.OptimizerStep;
        return added;
    }

    private static int Length(int[] shape)
    {
        int length = 1;
        foreach (int n in shape) length *= n;
        return length;
    }

    private static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
