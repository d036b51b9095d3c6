using System;
using System.Collections.Generic;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Distributed.Tests;

/// <summary>The single-process reference weights, trained once for all the mpirun tests.</summary>
public sealed class ReferenceRun : IDisposable
{
    public ReferenceRun()
    {
        Folder = Directory.CreateTempSubdirectory("netgen-mpi-").FullName;
        ProcessRun run = MpiRun.Alone(Folder, null, "--single", "--out", "reference");
        Assert.True(run.ExitCode == 0, "the single-process reference failed:\n" + run.Output);
        Weights = File.ReadAllBytes(Path.Combine(Folder, "reference.rank0.bin"));
    }

    /// <summary>A scratch folder for all the runs.</summary>
    public string Folder { get; }
    /// <summary>The reference's final parameters as raw bytes (4 parts per batch, 3 epochs, Adam with dropout).</summary>
    public byte[] Weights { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// The runner program (TinyClassifier, 90 samples, global batch 16 in 4 parts, 3 epochs) under mpirun with 2 and 4
/// ranks must end with the single process's weights bit for bit on every rank; a rank killed mid-epoch must end
/// the job with an error naming it, and the last checkpoint must resume to the same weights.
/// </summary>
public sealed class MpiTrainingTests(ReferenceRun reference, ITestOutputHelper output) : IClassFixture<ReferenceRun>
{
    [MpiFact]
    public void Two_ranks_train_the_single_process_weights_bit_for_bit() => RanksMatchReference(2, "np2");

    [MpiFact]
    public void Four_oversubscribed_ranks_train_the_single_process_weights_bit_for_bit() => RanksMatchReference(4, "np4");

    [MpiFact]
    public void A_rank_killed_mid_epoch_ends_the_job_with_an_error_and_the_checkpoint_resumes_to_the_same_weights()
    {
        string checkpoint = Path.Combine(reference.Folder, "fault.safetensors");
        // 6 steps per epoch; rank 1 dies after step 8, in the middle of epoch 2; rank 0 checkpoints every 3 steps.
        ProcessRun failed = MpiRun.Mpi(2, reference.Folder, "--checkpoint", checkpoint, "--checkpoint-every", "3", "--kill-rank", "1", "--kill-at-step", "8", "--out", "fault");
        output.WriteLine($"faulty run: exit {failed.ExitCode} after {failed.Elapsed.TotalSeconds:F1} s\n{failed.Output}");
        Assert.False(failed.TimedOut, "the job did not end within 60 s after a rank died");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.True(failed.Elapsed < TimeSpan.FromSeconds(30), $"the job took {failed.Elapsed.TotalSeconds:F1} s to end after a rank died");
        Assert.Contains("rank 1 with PID", failed.Output);  // mpirun: "process rank 1 with PID … exited on signal 9 (Killed)"
        Assert.Contains("signal 9", failed.Output);
        Assert.False(File.Exists(Path.Combine(reference.Folder, "fault.rank0.bin")), "rank 0 finished although rank 1 died");
        Assert.True(File.Exists(checkpoint), "no checkpoint was written before the fault");

        ProcessRun resumed = MpiRun.Mpi(2, reference.Folder, "--resume", checkpoint, "--out", "resumed");
        output.WriteLine(resumed.Output);
        Assert.True(resumed.ExitCode == 0, "the resumed run failed:\n" + resumed.Output);
        Assert.Contains("rank 0/2: 18 steps", resumed.Output);
        for (int rank = 0; rank < 2; rank++)
            Assert.Equal(reference.Weights, File.ReadAllBytes(Path.Combine(reference.Folder, $"resumed.rank{rank}.bin")));
    }

    [Fact]
    public void A_missing_MPI_library_is_reported_with_what_to_install()
    {
        var environment = new Dictionary<string, string> { ["NETGEN_MPI_LIBRARY"] = "/nonexistent/libmpi.so" };
        ProcessRun run = MpiRun.Alone(reference.Folder, environment, "--out", "nolib");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("apt-get install -y openmpi-bin libopenmpi-dev", run.Output);
    }

    private void RanksMatchReference(int ranks, string prefix)
    {
        ProcessRun run = MpiRun.Mpi(ranks, reference.Folder, "--out", prefix);
        output.WriteLine($"{ranks} ranks: exit {run.ExitCode} in {run.Elapsed.TotalSeconds:F1} s\n{run.Output}");
        Assert.True(run.ExitCode == 0, $"mpirun -np {ranks} failed:\n{run.Output}");
        for (int rank = 0; rank < ranks; rank++)
            Assert.Equal(reference.Weights, File.ReadAllBytes(Path.Combine(reference.Folder, $"{prefix}.rank{rank}.bin")));
    }
}
