using System;
using System.Linq;
using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Peers;
using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.Harness;

/// <summary>
/// Before timing anything: the implementations compute the same function from the same weights (predictions agree,
/// and one SGD step or one Adam epoch moves the parameters or the loss the same way), so the table compares like with like.
/// </summary>
public static class Checks
{
    private const float Tolerance = 1e-4f;

    public static void Mlp784(Mlp784.Weights weights, ClassificationBatch data)
    {
        const int batch = Workloads.Mlp784.MaxBatch;
        int outputs = batch * Workloads.Mlp784.Outputs;
        var netgen = new NetGenMlp(weights, data);
        netgen.Prepare(batch);
        using var torch = new TorchMlp(weights, data, threads: 1);
        torch.Prepare(batch);
        torch.Predict();
        using var onnx = OnnxModels.Mlp784(weights, data, threads: 1);
        onnx.Prepare(batch);
        onnx.Predict();
        Report("MLP predictions, NetGen vs TorchSharp", MaxDifference(netgen.Outputs.AsSpan(0, outputs), torch.Outputs.AsSpan(0, outputs)));
        Report("MLP predictions, NetGen vs ONNX Runtime", MaxDifference(netgen.Outputs.AsSpan(0, outputs), onnx.Outputs.AsSpan(0, outputs)));

        float netgenLoss = netgen.TrainStep();
        torch.TrainStep();
        Report("MLP parameters after one SGD step (batch 64), NetGen vs TorchSharp", MaxDifference(netgen.FlatParameters(), torch.FlatParameters()));
        Report($"MLP loss before the step {netgenLoss:F5}; after, NetGen {netgen.Loss():F5} vs TorchSharp {torch.Loss():F5}", Math.Abs(netgen.Loss() - torch.Loss()));
    }

    public static void LeNet5(float[][] weights, ClassificationBatch data)
    {
        const int batch = Workloads.LeNet5.MaxBatch;
        int outputs = batch * Workloads.LeNet5.Outputs;
        var netgen = new NetGenLeNet5(weights, data);
        netgen.Prepare(batch);
        netgen.Predict();
        using var torch = new TorchLeNet5(weights, data, threads: 1);
        torch.Prepare(batch);
        torch.Predict();
        using var onnx = OnnxModels.LeNet5(weights, data, threads: 1);
        onnx.Prepare(batch);
        onnx.Predict();
        Report("LeNet-5 predictions, NetGen vs TorchSharp", MaxDifference(netgen.Outputs.AsSpan(0, outputs), torch.Outputs.AsSpan(0, outputs)));
        Report("LeNet-5 predictions, NetGen vs ONNX Runtime", MaxDifference(netgen.Outputs.AsSpan(0, outputs), onnx.Outputs.AsSpan(0, outputs)));
        netgen.TrainStep();
        torch.TrainStep();
        Report("LeNet-5 parameters after one Adam step (batch 64), NetGen vs TorchSharp", MaxDifference(netgen.FlatParameters(), torch.FlatParameters()));
    }

    public static void SimpleChains(SimpleChains.Weights weights, SimpleChains.DataSet data)
    {
        var netgen = new NetGenSimpleChains(weights, data);
        using var torch = new TorchSimpleChains(weights, data, threads: 1);
        float before = netgen.Loss();
        Report($"SimpleChains loss at start, NetGen {before:F5} vs TorchSharp {torch.Loss():F5}", Math.Abs(before - torch.Loss()));
        netgen.Prepare(32);
        torch.Prepare(32);
        netgen.Epoch();
        torch.Epoch();
        float ng = netgen.Loss(), ts = torch.Loss();
        Report($"SimpleChains loss after one Adam epoch (batch 32), NetGen {ng:F5} vs TorchSharp {ts:F5}", Math.Abs(ng - ts), tolerance: 1e-3f * Math.Max(1f, ts));
    }

    private static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) return float.PositiveInfinity;
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>The character LSTM's probabilities [32, 64, 65], NetGen vs ONNX Runtime on NetGen.Onnx's export of the same network.</summary>
    public static void CharLstm(OnnxCharLstm onnx) => Report("Char LSTM predictions (32x64x65), NetGen vs ONNX Runtime", (float)onnx.LargestDifference());

    private static void Report(string what, float difference, float tolerance = Tolerance)
    {
        string verdict = difference <= tolerance ? "ok" : "MISMATCH";
        Console.WriteLine($"  check: {what}: max |diff| {difference:E2} ({verdict}, tolerance {tolerance:E0})");
    }
}
