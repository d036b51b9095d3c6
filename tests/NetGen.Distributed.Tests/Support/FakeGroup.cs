using System;

namespace NetGen.Distributed.Tests;

/// <summary>A group of <c>size</c> ranks for argument checks that must fail before any collective runs.</summary>
internal sealed class FakeGroup(int size, int rank = 0) : ICollectives
{
    public int Rank => rank;
    public int Size => size;
    public void AllGather<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged => throw new InvalidOperationException("no collective expected");
    public void Broadcast<T>(Span<T> values, int root) where T : unmanaged => throw new InvalidOperationException("no collective expected");
    public void Barrier() => throw new InvalidOperationException("no collective expected");
}
