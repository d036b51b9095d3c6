using System;
using System.Numerics;

namespace NetGen.Gan;

/// <summary>
/// An exponential moving average of a network's parameters (Polyak averaging, as ProGAN, BigGAN and StyleGAN sample
/// from a generator's averaged weights): after every <see cref="Update"/>, average ← decay·average + (1 − decay)·θ.
/// The average starts at the network's parameters when it is created; <see cref="CopyTo"/> writes it, with the
/// source network's buffers (BatchNorm's running statistics), into a second instance of the same class for sampling,
/// so the trained network itself is never changed. No allocation after construction.
/// </summary>
public sealed class ParameterAverage<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _average;
    private readonly T _decay, _rest;

    /// <summary>Starts the average at <paramref name="network"/>'s parameters; <paramref name="decay"/> in [0, 1) (0.999 is common).</summary>
    public ParameterAverage(INetwork<T> network, double decay)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(decay >= 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must lie in [0, 1).");
        _average = network.Parameters.ToArray();
        _decay = T.CreateTruncating(decay);
        _rest = T.One - _decay;
    }

    /// <summary>The averaged parameters, in the network's parameter layout.</summary>
    public ReadOnlySpan<T> Average => _average;

    /// <summary>Folds the network's current parameters into the average.</summary>
    public void Update(INetwork<T> network)
    {
        ReadOnlySpan<T> parameters = network.Parameters;
        if (parameters.Length != _average.Length)
            throw new ArgumentException($"The network has {parameters.Length} parameters; the average holds {_average.Length}.", nameof(network));
        for (int i = 0; i < _average.Length; i++) _average[i] = _decay * _average[i] + _rest * parameters[i];
    }

    /// <summary>
    /// Writes the average into <paramref name="target"/>'s parameters and <paramref name="buffersFrom"/>'s buffers
    /// (running statistics) into the target's; both networks must have the averaged network's layout.
    /// </summary>
    public void CopyTo(INetwork<T> target, INetwork<T> buffersFrom)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(buffersFrom);
        if (target.Parameters.Length != _average.Length)
            throw new ArgumentException($"The target has {target.Parameters.Length} parameters; the average holds {_average.Length}.", nameof(target));
        if (target.Buffers.Length != buffersFrom.Buffers.Length)
            throw new ArgumentException($"The target has {target.Buffers.Length} buffers; the source has {buffersFrom.Buffers.Length}.", nameof(buffersFrom));
        _average.AsSpan().CopyTo(target.Parameters);
        buffersFrom.Buffers.CopyTo(target.Buffers);
    }
}
