using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen.Distributed;

/// <summary>
/// Before training, every rank must hold the same network and settings, or the ranks would silently train different
/// models (or wait forever in a collective of another length). Each rank contributes a fingerprint; all compare.
/// </summary>
internal static class RankAgreement
{
    private static readonly string[] s_names = { "the network type", "the parameter count", "the parameters (a hash of their bytes)",
        "the optimizer state and step (a hash)", "the training sample count", "GlobalBatchSize", "ShardCount", "Seed", "Epochs" };

    /// <summary>Throws on every rank, naming the first setting in which some rank differs from rank 0.</summary>
    /// <exception cref="InvalidOperationException">A rank differs; the message names it and the setting.</exception>
    public static void Check<TNetwork, T>(ICollectives group, TNetwork network, int samples, DataParallelOptions options, int shards)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (group.Size == 1) return;
        Span<long> mine = stackalloc long[s_names.Length];
        mine[0] = Hash(MemoryMarshal.AsBytes(network.GetType().FullName.AsSpan()));
        mine[1] = network.ParameterCount;
        mine[2] = Hash(MemoryMarshal.AsBytes<T>(network.Parameters));
        mine[3] = Hash(MemoryMarshal.AsBytes<T>(network.OptimizerState)) ^ network.OptimizerStep;
        mine[4] = samples;
        mine[5] = options.GlobalBatchSize;
        mine[6] = shards;
        mine[7] = options.Seed;
        mine[8] = options.Epochs;
        var all = new long[group.Size * mine.Length];
        group.AllGather<long>(mine, all);
        for (int rank = 1; rank < group.Size; rank++)
            for (int i = 0; i < mine.Length; i++)
                if (all[rank * mine.Length + i] != all[i])
                    throw new InvalidOperationException($"Rank {rank} differs from rank 0 in {s_names[i]}; every rank must start from the same network, data and options.");
    }

    /// <summary>FNV-1a, 64 bits, over the bytes.</summary>
    private static long Hash(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in bytes) h = (h ^ b) * 1099511628211UL;
        return (long)h;
    }
}
