using System;
using System.Numerics;

namespace NetGen.Training;

/// <summary>
/// The state one training step changes — parameters, optimizer state, step count, dropout generator — copied
/// before the step so that a step whose loss is not finite can be undone. Buffers are allocated once; each
/// capture is two span copies.
/// </summary>
internal sealed class StepGuard<TNetwork, T>
    where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TNetwork _network;
    private readonly T[] _parameters;
    private readonly T[] _optimizerState;
    private long _optimizerStep;
    private ulong _randomState;

    public StepGuard(TNetwork network)
    {
        _network = network;
        _parameters = new T[network.Parameters.Length];
        _optimizerState = new T[network.OptimizerState.Length];
    }

    /// <summary>Copies the network's training state.</summary>
    public void Capture()
    {
        _network.Parameters.CopyTo(_parameters);
        _network.OptimizerState.CopyTo(_optimizerState);
        _optimizerStep = _network.OptimizerStep;
        _randomState = _network.RandomState;
    }

    /// <summary>Puts back what <see cref="Capture"/> copied.</summary>
    public void Restore()
    {
        _parameters.CopyTo(_network.Parameters);
        _optimizerState.CopyTo(_network.OptimizerState);
        _network.OptimizerStep = _optimizerStep;
        _network.RandomState = _randomState;
    }
}
