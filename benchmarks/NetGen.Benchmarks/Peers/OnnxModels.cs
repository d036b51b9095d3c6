using NetGen.Benchmarks.Workloads;

namespace NetGen.Benchmarks.Peers;

/// <summary>The workloads' networks as ONNX models, from the same weights as every other implementation.</summary>
public static class OnnxModels
{
    /// <summary>Gemm, Relu, Gemm, Softmax.</summary>
    public static OnnxPredictor Mlp784(Mlp784.Weights w, ClassificationBatch data, int threads) => new(
        OnnxModelWriter.DenseNetwork(
        [
            (w.W1, w.B1, Workloads.Mlp784.Hidden, Workloads.Mlp784.Inputs, "Relu"),
            (w.W2, w.B2, Workloads.Mlp784.Outputs, Workloads.Mlp784.Hidden, "Softmax"),
        ]),
        data.Inputs, [Workloads.Mlp784.Inputs], Workloads.Mlp784.Outputs, Workloads.Mlp784.MaxBatch, threads);

    /// <summary>Conv, Relu, MaxPool, Conv, Relu, MaxPool, Flatten, Gemm, Relu, Gemm, Relu, Gemm, Softmax.</summary>
    public static OnnxPredictor LeNet5(float[][] t, ClassificationBatch data, int threads) => new(
        new OnnxModelWriter(Workloads.LeNet5.Channels, Workloads.LeNet5.Side, Workloads.LeNet5.Side)
            .Conv(t[0], t[1], filters: 6, channels: 1, kernel: 5, padding: 2).Activation("Relu").MaxPool(2)
            .Conv(t[2], t[3], filters: 16, channels: 6, kernel: 5, padding: 0).Activation("Relu").MaxPool(2)
            .Flatten()
            .Gemm(t[4], t[5], 120, 400).Activation("Relu")
            .Gemm(t[6], t[7], 84, 120).Activation("Relu")
            .Gemm(t[8], t[9], 10, 84).Activation("Softmax")
            .ToModel(Workloads.LeNet5.Outputs),
        data.Inputs, [Workloads.LeNet5.Channels, Workloads.LeNet5.Side, Workloads.LeNet5.Side], Workloads.LeNet5.Outputs, Workloads.LeNet5.MaxBatch, threads);
}
