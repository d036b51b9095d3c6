// XOR: the classic problem a single perceptron cannot solve and a two-layer network can.
using System;
using NetGen;

float[] inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
float[] targets = { 0, 1, 1, 0 };

// Rosenblatt's perceptron: one Dense(1, BinaryStep) layer, trained by the perceptron rule.
var perceptron = new XorPerceptron();
for (int epoch = 0; epoch < 100; epoch++)
    for (int i = 0; i < 4; i++) perceptron.TrainStep(inputs.AsSpan(i * 2, 2), targets.AsSpan(i, 1), 1);
Report("Perceptron", perceptron);

// Two layers with Tanh: learns XOR in a few hundred full-batch steps.
var mlp = new XorMlp();
for (int step = 0; step < 1000; step++) mlp.TrainStep(inputs, targets, 4);
Report("MLP 2-4-1", mlp);

void Report<TNet>(string name, TNet net) where TNet : INetwork
{
    float[] y = new float[4];
    net.Predict(inputs, y, 4);
    int correct = 0;
    for (int i = 0; i < 4; i++) correct += (y[i] >= 0.5f) == (targets[i] == 1) ? 1 : 0;
    Console.WriteLine($"{name,-11} outputs [{string.Join(", ", Array.ConvertAll(y, v => v.ToString("F3")))}]  {correct}/4 right");
}

[Network(Optimizer = Optimizer.Sgd, LearningRate = 0.1f, Seed = 1)]
[Input(2)] [Dense(1, Activation.BinaryStep)]
public partial class XorPerceptron;

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.05f, Seed = 1)]
[Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class XorMlp;
