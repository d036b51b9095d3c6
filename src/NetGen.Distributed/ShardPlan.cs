using System;

namespace NetGen.Distributed;

/// <summary>
/// How a global batch is cut: <see cref="Shards"/> contiguous parts, rank r owning parts
/// r·L .. r·L + L − 1 with L = Shards / Ranks. Part k of a batch of n rows starts at ⌊k·n / Shards⌋.
/// </summary>
internal readonly record struct ShardPlan(int Shards, int Ranks, int Rank)
{
    /// <summary>The parts each rank computes.</summary>
    public int LocalShards => Shards / Ranks;

    /// <summary>The first global part of this rank.</summary>
    public int FirstShard => Rank * LocalShards;

    /// <summary>Validates the part count against the rank count (0 means one part per rank).</summary>
    public static ShardPlan Create(int shardCount, int ranks, int rank)
    {
        int shards = shardCount == 0 ? ranks : shardCount;
        if (shards < 1 || shards % ranks != 0)
            throw new ArgumentException($"ShardCount = {shardCount} must be a positive multiple of the rank count ({ranks}), or 0 for one part per rank.");
        return new ShardPlan(shards, ranks, rank);
    }

    /// <summary>Rows [start, start + length) of a batch of <paramref name="batchRows"/> rows that part <paramref name="shard"/> covers (relative to the batch).</summary>
    public (int Start, int Length) Rows(int shard, int batchRows)
    {
        int start = (int)((long)shard * batchRows / Shards);
        int end = (int)((long)(shard + 1) * batchRows / Shards);
        return (start, end - start);
    }
}
