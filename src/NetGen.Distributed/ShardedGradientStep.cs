using System;
using System.Diagnostics;
using System.Numerics;
using NetGen.Data;
using NetGen.Training;

namespace NetGen.Distributed;

/// <summary>
/// One data-parallel optimizer step. Each rank computes the mean-reduced gradient gₖ and loss ℓₖ of each of its
/// parts of the global batch (bₖ rows of n), scales them by bₖ / n, and all ranks all-gather those contributions in
/// part order. Every rank then sums them in the same fixed order, g = ((c₀ + c₁) + c₂) + …, which is the global
/// batch's mean gradient Σₖ (bₖ/n)·gₖ, and applies the network's optimizer to it. Every allocation happens in the constructor.
/// </summary>
internal sealed class ShardedGradientStep<TNetwork, T>
    where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TNetwork _network;
    private readonly ICollectives _group;
    private readonly OptimizerUpdate<T> _update;
    private readonly ShardPlan _plan;
    private readonly BatchBuffer<T> _rows;
    private readonly int _stride;          // ParameterCount + 1: a part's weighted gradient, then its weighted loss
    private readonly T[] _local;           // this rank's parts, _stride values each
    private readonly T[] _gathered;        // every part of the batch, in part order
    private readonly T[] _sum;             // the reduced gradient, then the reduced loss
    private bool _updateVerified;

    public ShardedGradientStep(TNetwork network, Dataset data, ShardPlan plan, ICollectives group, int globalBatchSize)
    {
        _network = network;
        _group = group;
        _plan = plan;
        _update = OptimizerUpdate<T>.For(network.GetType());
        _stride = network.ParameterCount + 1;
        // A part never holds more than ⌈n / Shards⌉ rows.
        _rows = new BatchBuffer<T>(data, network.InputSize, network.OutputSize, (globalBatchSize + plan.Shards - 1) / plan.Shards, "training data");
        _local = new T[plan.LocalShards * _stride];
        _gathered = new T[plan.Shards * _stride];
        _sum = new T[_stride];
    }

    /// <summary>Stopwatch ticks spent in the all-gather so far, waiting for the other ranks included.</summary>
    public long CommunicationTicks { get; private set; }

    /// <summary>Trains on the global batch <paramref name="batch"/> (sample indices, the same on every rank); returns its mean loss.</summary>
    public double Run(Dataset data, ReadOnlySpan<int> batch)
    {
        int n = batch.Length, parameters = _stride - 1;
        ulong stepRandomState = _network.RandomState;

        // Each local part k: cₖ = (bₖ/n)·gₖ and (bₖ/n)·ℓₖ, with dropout masks drawn from a stream fixed by (step, k).
        for (int j = 0; j < _plan.LocalShards; j++)
        {
            int shard = _plan.FirstShard + j;
            (int start, int rows) = _plan.Rows(shard, n);
            Span<T> contribution = _local.AsSpan(j * _stride, _stride);
            if (rows == 0)
            {
                contribution.Clear();
                continue;
            }
            _network.RandomState = ShardRandomState(stepRandomState, shard);
            _rows.Gather(data, batch.Slice(start, rows));
            if (!_updateVerified)
            {
                // Once, before the first step: the update from given gradients must be the network's TrainStep.
                _update.Verify(_network, _rows.Inputs(rows), _rows.Targets(rows), rows);
                _updateVerified = true;
            }
            T loss = _network.ComputeGradients(_rows.Inputs(rows), _rows.Targets(rows), rows);
            T weight = T.CreateTruncating((double)rows / n);
            Scale(_network.Gradients, weight, contribution[..parameters]);
            contribution[parameters] = weight * loss;
        }

        // All parts of the batch on every rank, in part order (the time includes waiting for slower ranks).
        long started = Stopwatch.GetTimestamp();
        _group.AllGather<T>(_local, _gathered);
        CommunicationTicks += Stopwatch.GetTimestamp() - started;

        // g = ((c₀ + c₁) + c₂) + …: the same additions in the same order on every rank and for any rank count.
        _gathered.AsSpan(0, _stride).CopyTo(_sum);
        for (int k = 1; k < _plan.Shards; k++) Accumulate(_gathered.AsSpan(k * _stride, _stride), _sum);

        // The next step's masks come from a state every rank derives alike; then the network's own optimizer step.
        _network.RandomState = NextStepRandomState(stepRandomState);
        _update.Apply(_network, _sum.AsSpan(0, parameters));
        return double.CreateTruncating(_sum[parameters]);
    }

    /// <summary>destination = weight · source, element by element.</summary>
    private static void Scale(ReadOnlySpan<T> source, T weight, Span<T> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<T>(weight);
            for (; i + Vector<T>.Count <= source.Length; i += Vector<T>.Count)
                (new Vector<T>(source[i..]) * w).CopyTo(destination[i..]);
        }
        for (; i < source.Length; i++) destination[i] = source[i] * weight;
    }

    /// <summary>sum += values, element by element (each element's additions happen in the callers' order).</summary>
    private static void Accumulate(ReadOnlySpan<T> values, Span<T> sum)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i + Vector<T>.Count <= values.Length; i += Vector<T>.Count)
                (new Vector<T>(sum[i..]) + new Vector<T>(values[i..])).CopyTo(sum[i..]);
        for (; i < values.Length; i++) sum[i] += values[i];
    }

    /// <summary>The dropout stream of part <paramref name="shard"/> of a step: SplitMix64's finaliser of the step's state and the part.</summary>
    internal static ulong ShardRandomState(ulong stepState, int shard) => Mix(stepState ^ (0xD1B54A32D192ED03UL * (ulong)(shard + 1)));

    /// <summary>The next step's random state.</summary>
    internal static ulong NextStepRandomState(ulong stepState) => Mix(stepState + 0x9E3779B97F4A7C15UL);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
