using System;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using NetGen.Numerics;

namespace NetGen.Distributed;

/// <summary>
/// A network's own optimizer step, applied from gradients the caller supplies (the all-reduced ones) instead of
/// the network's <see cref="INetworkState{T}.Gradients"/>. Generated networks keep their update private (<c>TrainStep</c>
/// = <c>ComputeGradients</c> + update), so this reads the hyperparameters from the class's <see cref="NetworkAttribute"/>
/// the way the generator does and calls the same <see cref="Optimizers"/> kernel with the same arguments: the result
/// is bit-identical to <c>TrainStep</c> given the same gradients (a test checks every optimizer).
/// </summary>
/// <typeparam name="T">The network's element type.</typeparam>
public sealed class OptimizerUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Optimizer _optimizer;
    private readonly T _momentum, _beta1, _beta2, _epsilon, _rmsDecay, _weightDecay;

    private OptimizerUpdate(NetworkAttribute a)
    {
        _optimizer = a.Optimizer;
        _momentum = AsGenerated(a.Momentum);
        _beta1 = AsGenerated(a.Beta1);
        _beta2 = AsGenerated(a.Beta2);
        _epsilon = AsGenerated(a.Epsilon);
        _rmsDecay = AsGenerated(a.RmsDecay);
        _weightDecay = AsGenerated(a.WeightDecay);
    }

    /// <summary>The update of the network class <paramref name="networkType"/> (a class marked <c>[Network]</c>).</summary>
    /// <exception cref="ArgumentException">The class has no <see cref="NetworkAttribute"/>.</exception>
    public static OptimizerUpdate<T> For(Type networkType)
    {
        NetworkAttribute attribute = networkType.GetCustomAttribute<NetworkAttribute>()
            ?? throw new ArgumentException($"{networkType.FullName} has no [Network] attribute, so its optimizer is unknown.", nameof(networkType));
        // Gradient clipping (DESIGN §6's ClipNorm, once the attribute has it) acts on the whole gradient before the
        // update; this class does not apply it, and the first-batch check could miss it when the norm is small.
        if (typeof(NetworkAttribute).GetProperty("ClipNorm")?.GetValue(attribute) is float clip && clip > 0)
            throw new NotSupportedException($"{networkType.Name} clips gradients (ClipNorm = {clip}); NetGen.Distributed does not apply clipping yet.");
        return new OptimizerUpdate<T>(attribute);
    }

    /// <summary>The optimizer this update runs.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>
    /// One optimizer step of <paramref name="network"/> with <paramref name="gradients"/>: the step counter goes up by one,
    /// then the parameters and optimizer state are updated exactly as the network's <c>TrainStep</c> would.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="gradients"/> does not hold ParameterCount values.</exception>
    public void Apply<TNetwork>(TNetwork network, ReadOnlySpan<T> gradients) where TNetwork : INetwork<T>
    {
        int n = network.ParameterCount;
        if (gradients.Length != n)
            throw new ArgumentException($"The gradients hold {gradients.Length} values; the network has ParameterCount = {n}.", nameof(gradients));
        network.OptimizerStep++;
        // The generated update casts its double learning rate to T at each step: (T)_learningRate.
        T lr = T.CreateTruncating(network.LearningRate);
        Span<T> w = network.Parameters, state = network.OptimizerState;
        switch (_optimizer)
        {
            case Optimizer.Sgd:
                // w −= lr·(g + λw)
                Optimizers.Sgd(w, gradients, lr, _weightDecay);
                break;
            case Optimizer.Momentum:
                // v = μ·v + g;  w −= lr·v
                Optimizers.Momentum(w, gradients, state, lr, _momentum, _weightDecay);
                break;
            case Optimizer.RmsProp:
                // s = ρ·s + (1 − ρ)·g²;  w −= lr·g / (√s + ε)
                Optimizers.RmsProp(w, gradients, state, lr, _rmsDecay, _epsilon, _weightDecay);
                break;
            case Optimizer.Adam:
                // m = β₁·m + (1 − β₁)·g;  v = β₂·v + (1 − β₂)·g²;  w −= lr·m̂ / (√v̂ + ε)
                Optimizers.Adam(w, gradients, state[..n], state.Slice(n, n), lr, _beta1, _beta2, _epsilon, _weightDecay, network.OptimizerStep);
                break;
            default:
                network.OptimizerStep--;
                throw new NotSupportedException($"OptimizerUpdate does not know the optimizer {_optimizer}; NetGen.Distributed cannot train this network yet.");
        }
    }

    /// <summary>
    /// Checks on one batch that <see cref="Apply{TNetwork}"/> reproduces the network's own <c>TrainStep</c> bit for bit,
    /// then puts the network back exactly as it was. Guards against a generator option this class does not mirror.
    /// </summary>
    /// <exception cref="NotSupportedException">The two updates differ: the network uses something this class does not apply.</exception>
    public void Verify<TNetwork>(TNetwork network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize) where TNetwork : INetwork<T>
    {
        // Snapshot everything an update touches.
        T[] parameters = network.Parameters.ToArray(), state = network.OptimizerState.ToArray();
        long step = network.OptimizerStep;
        ulong random = network.RandomState;

        // The network's own step, then this class's step from the same gradients (same dropout masks).
        network.TrainStep(inputs, targets, batchSize);
        T[] expected = network.Parameters.ToArray(), expectedState = network.OptimizerState.ToArray();
        Restore();
        network.ComputeGradients(inputs, targets, batchSize);
        Apply(network, network.Gradients);
        bool same = SameBits(network.Parameters, expected) && SameBits(network.OptimizerState, expectedState);
        Restore();
        if (!same)
            throw new NotSupportedException($"{network.GetType().Name}'s TrainStep does something OptimizerUpdate does not reproduce ({_optimizer} with an option it does not mirror); NetGen.Distributed cannot train it bit-exactly.");

        void Restore()
        {
            parameters.CopyTo(network.Parameters);
            state.CopyTo(network.OptimizerState);
            network.OptimizerStep = step;
            network.RandomState = random;
        }
    }

    private static bool SameBits(ReadOnlySpan<T> a, ReadOnlySpan<T> b) => MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    /// <summary>
    /// The constant the generator emits for an attribute value: the float's shortest decimal text read as a double
    /// (0.9f becomes 0.9), then rounded to T. For float this is the float itself; for double it is the decimal value.
    /// </summary>
    private static T AsGenerated(float value) =>
        T.CreateTruncating(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
}
