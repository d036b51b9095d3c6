using NetGen.Benchmarks.NetGenRows;
using NetGen.Benchmarks.Workloads;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The workloads' networks as ONNX models, from the same weights as every other implementation: the NetGen network
/// with those weights, exported by NetGen.Onnx (Gemm, Relu, ..., Softmax; opset 17).
/// </summary>
public static class OnnxModels
{
    /// <summary>Gemm, Relu, Gemm, Softmax.</summary>
    public static OnnxPredictor Mlp784(Mlp784.Weights w, ClassificationBatch data, int threads)
    {
        var network = new Mlp784Net();
        w.CopyTo(network.Parameters);
        return new(OnnxExport.ToBytes(network), data.Inputs, [Workloads.Mlp784.Inputs], Workloads.Mlp784.Outputs, Workloads.Mlp784.MaxBatch, threads);
    }

    /// <summary>Conv, Relu, MaxPool, Conv, Relu, MaxPool, Flatten, Gemm, Relu, Gemm, Relu, Gemm, Softmax.</summary>
    public static OnnxPredictor LeNet5(float[][] t, ClassificationBatch data, int threads)
    {
        var network = new LeNet5Net();
        Workloads.LeNet5.CopyTo(t, network.Parameters);
        return new(OnnxExport.ToBytes(network), data.Inputs, [Workloads.LeNet5.Channels, Workloads.LeNet5.Side, Workloads.LeNet5.Side],
            Workloads.LeNet5.Outputs, Workloads.LeNet5.MaxBatch, threads);
    }
}
