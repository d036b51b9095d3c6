using System;
using System.Linq;
using NetGen.Data;
using NetGen.Training;
using Xunit;

namespace NetGen.Numerics.Tests;

/// <summary>
/// The trainer's batch gather (<see cref="BatchBuffer{T}"/>): shuffled rows copied into the batch, split between two
/// threads for float rows into a float network — the same bits as on one thread and as a plain row-by-row copy.
/// </summary>
public class BatchGatherTests
{
    [Theory]
    [InlineData(64, 784)] // the main job's batch: split on two threads
    [InlineData(17, 1000)] // an odd batch, split into runs of 8 and 9 rows
    [InlineData(3, 5)] // too small to split: one thread
    public void Gathered_rows_and_one_hot_targets_are_the_named_rows_on_one_thread_and_two(int batch, int width)
    {
        const int rows = 300, classes = 7;
        var random = new Random(batch * 31 + width);
        float[] x = Enumerable.Range(0, rows * width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] labels = Enumerable.Range(0, rows).Select(i => (float)(i % classes)).ToArray();
        var data = new Dataset(x, labels, rows, width, 1);
        int[] order = Enumerable.Range(0, rows).OrderBy(_ => random.Next()).ToArray();
        int[] indices = order.Take(batch).ToArray();

        float[] Gather(int threads)
        {
            using var scope = new ParallelismScope(threads);
            var buffer = new BatchBuffer<float>(data, width, classes, batch, "training data");
            buffer.Gather(data, order.Skip(rows - batch).ToArray()); // other rows first: a row the gather skipped would keep one of them
            buffer.Gather(data, indices);
            float[] targets = buffer.Targets(batch).ToArray();
            for (int i = 0; i < batch; i++)
                for (int c = 0; c < classes; c++)
                    Assert.Equal(c == indices[i] % classes ? 1f : 0f, targets[i * classes + c]);
            return buffer.Inputs(batch).ToArray();
        }

        float[] one = Gather(1), two = Gather(2);
        float[] expected = indices.SelectMany(r => x.Skip(r * width).Take(width)).ToArray();
        TestData.BitEqual<float>(expected, one, "one thread");
        TestData.BitEqual<float>(expected, two, "two threads");
    }
}
