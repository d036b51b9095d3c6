using System;

namespace NetGen.Benchmarks;

/// <summary>Names the workload a benchmark class measures (a row group in the tables).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class WorkloadAttribute(string title) : Attribute
{
    public string Title { get; } = title;
}

/// <summary>How many threads a benchmark method may use; its "% of peak" divides by that many cores' peak.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThreadsAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}
