// Trains the Fashion-MNIST MLP that EmbeddedClassifier compiles in, and saves its weights next to that
// program as fashion-mlp.safetensors (PyTorch's names; about 400 KB). Arguments: [epochs (3)] [output path].
// `--export-onnx [weights.safetensors] [model.onnx]` instead loads the weights and writes the same network as an ONNX
// model (NetGen.Onnx) for EmbeddedClassifier.OnnxRuntime, the ONNX Runtime counterpart.
using System;
using NetGen;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Onnx;
using NetGen.Serialization;
using NetGen.Training;

string Beside(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", name);

if (args.Length > 0 && args[0] == "--export-onnx")
{
    var trained = new FashionMlp();
    SafeTensors.Load(trained, args.Length > 1 ? args[1] : Beside("fashion-mlp.safetensors"));
    string onnx = args.Length > 2 ? args[2] : Beside("fashion-mlp.onnx");
    OnnxExport.Save(trained, onnx);
    Console.WriteLine($"Wrote {System.IO.Path.GetFullPath(onnx)} ({new System.IO.FileInfo(onnx).Length:N0} bytes)");
    return;
}

Dataset Load(string split) => IdxLoader.LoadImagesAndLabels(
    RepoData.Path($"fashion-mnist/{split}-images-idx3-ubyte.gz"), RepoData.Path($"fashion-mnist/{split}-labels-idx1-ubyte.gz"));
Dataset train = Load("train"), test = Load("t10k");

var net = new FashionMlp();
int epochs = args.Length > 0 ? int.Parse(args[0]) : 3;
Trainer.Fit(net, train, new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = 1, Progress = new ConsoleProgressReporter() });
ClassificationReport report = Evaluation.EvaluateClassifier(net, test);
Console.WriteLine($"Test accuracy after {epochs} epochs: {report.Accuracy:P2}");

string path = args.Length > 1 ? args[1] : Beside("fashion-mlp.safetensors");
SafeTensors.Save(net, path, new System.Collections.Generic.Dictionary<string, string> { ["test_accuracy"] = report.Accuracy.ToString("F4") });
Console.WriteLine($"Saved {System.IO.Path.GetFullPath(path)}");

// The declaration EmbeddedClassifier repeats with [Network(Weights = "fashion-mlp.safetensors")]: the same layers, so the same tensors.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3f, Seed = 42)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionMlp;
