using System;

namespace NetGen.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over a group of <see cref="Size"/> processes.
/// Every member must make the same calls in the same order with the same lengths (MPI's rule for collectives).
/// </summary>
public interface ICollectives
{
    /// <summary>This process's index in the group, 0 .. <see cref="Size"/> − 1.</summary>
    int Rank { get; }
    /// <summary>The number of processes in the group.</summary>
    int Size { get; }

    /// <summary>
    /// Every rank contributes <paramref name="send"/>; every rank receives all contributions concatenated in rank
    /// order: rank r's values land at <c>receive[r * send.Length ..]</c>. <paramref name="receive"/> holds exactly <c>Size * send.Length</c> values.
    /// </summary>
    void AllGather<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged;

    /// <summary>Overwrites <paramref name="values"/> on every rank with rank <paramref name="root"/>'s.</summary>
    void Broadcast<T>(Span<T> values, int root) where T : unmanaged;

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}

/// <summary>A group of one process: the single-process reference the distributed runs are compared with.</summary>
public sealed class SingleProcessCollectives : ICollectives
{
    /// <summary>The one shared instance.</summary>
    public static SingleProcessCollectives Instance { get; } = new();

    private SingleProcessCollectives() { }

    /// <inheritdoc/>
    public int Rank => 0;
    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void AllGather<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged
    {
        if (receive.Length != send.Length)
            throw new ArgumentException($"AllGather over 1 rank needs a receive buffer of {send.Length} values (1 × send), but it holds {receive.Length}.", nameof(receive));
        send.CopyTo(receive);
    }

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> values, int root) where T : unmanaged
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "A single process is rank 0.");
    }

    /// <inheritdoc/>
    public void Barrier() { }
}
