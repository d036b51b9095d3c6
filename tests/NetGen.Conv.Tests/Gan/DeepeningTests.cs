using System;
using System.Linq;
using NetGen.Conv.Tests.Networks;
using Xunit;

namespace NetGen.Conv.Tests.Gan;

/// <summary>
/// examples/DcGan's Deepening (Net2DeeperNet): a trained tiny generator copied into one with an extra 3×3
/// convolution draws the same images, carries the Adam state, step count and running statistics over, starts the
/// new layer's Adam first moment at zero and its second at the fed layer's mean, and then trains the new layer; a
/// network that does not fit is refused.
/// </summary>
public class DeepeningTests
{
    private const int Batch = 17;

    /// <summary>A tiny G after a few Adam steps towards random images: moved weights, Adam state and running statistics.</summary>
    private static TinyDcGeneratorFloat Trained(out float[] latents)
    {
        var g = new TinyDcGeneratorFloat();
        var random = new Random(31);
        latents = new float[Batch * TinyDcGeneratorFloat.InputSize];
        float[] targets = new float[Batch * TinyDcGeneratorFloat.OutputSize];
        for (int step = 0; step < 5; step++)
        {
            for (int i = 0; i < latents.Length; i++) latents[i] = (float)(random.NextDouble() * 2 - 1);
            for (int i = 0; i < targets.Length; i++) targets[i] = (float)(random.NextDouble() * 2 - 1);
            g.TrainStep(latents, targets, Batch);
        }
        return g;
    }

    [Fact]
    public void TheDeeperGeneratorDrawsTheSameImagesAndCarriesTheTrainingState()
    {
        TinyDcGeneratorFloat shallow = Trained(out float[] latents);
        var deep = new TinyDcGeneratorDeepFloat();
        var added = Deepening.Deepen(shallow, deep);

        ParameterTensor[] fresh = TinyDcGeneratorDeepFloat.ParameterTensors.Where(t => added.Contains(t.Name)).ToArray();
        Assert.Equal(2, fresh.Length);
        Assert.Equal(new[] { 5, 5, 3, 3 }, fresh[0].Shape);
        Assert.Equal(new[] { 5 }, fresh[1].Shape);
        // Same images, in inference mode (running statistics) and in training mode (batch statistics).
        float[] before = new float[Batch * TinyDcGeneratorFloat.OutputSize], after = new float[before.Length];
        shallow.Predict(latents, before, Batch);
        deep.Predict(latents, after, Batch);
        Assert.Equal(before, after);
        shallow.Forward(latents, before, Batch);
        deep.Forward(latents, after, Batch);
        Assert.Equal(before, after);
        Assert.Equal(shallow.Buffers.ToArray(), deep.Buffers.ToArray());
        Assert.Equal(shallow.OptimizerStep, deep.OptimizerStep);

        // Every old tensor's values and both Adam slots carried over in order.
        var old = TinyDcGeneratorFloat.ParameterTensors.ToList();
        int next = 0;
        foreach (ParameterTensor t in TinyDcGeneratorDeepFloat.ParameterTensors)
        {
            int length = t.Shape.Aggregate(1, (a, b) => a * b);
            for (int slot = 0; slot < 2; slot++)
            {
                float[] state = deep.OptimizerState.Slice(slot * TinyDcGeneratorDeepFloat.ParameterCount + t.Offset, length).ToArray();
                if (added.Contains(t.Name))
                {
                    // m zero; v the mean of the next trained tensor's v (the layer the new one feeds), so the first
                    // updates keep their usual size.
                    ParameterTensor fed = old[next];
                    int fedLength = fed.Shape.Aggregate(1, (a, b) => a * b);
                    float expected = slot == 0 ? 0f
                        : (float)(shallow.OptimizerState.Slice(TinyDcGeneratorFloat.ParameterCount + fed.Offset, fedLength).ToArray().Sum(v => (double)v) / fedLength);
                    Assert.All(state, v => Assert.Equal(expected, v));
                    if (slot == 1) Assert.True(expected > 0);
                }
                else Assert.Equal(shallow.OptimizerState.Slice(slot * TinyDcGeneratorFloat.ParameterCount + old[next].Offset, length).ToArray(), state);
            }
            if (!added.Contains(t.Name))
                Assert.Equal(shallow.Parameters.Slice(old[next++].Offset, length).ToArray(), deep.Parameters.Slice(t.Offset, length).ToArray());
        }
        Assert.Equal(old.Count, next);
        Assert.Contains(shallow.OptimizerState.ToArray(), v => v != 0);

        // The identity kernel: 1 at the centre from channel c to channel c, 0 elsewhere; then one step moves it.
        float[] kernel = deep.Parameters.Slice(fresh[0].Offset, 5 * 5 * 9).ToArray();
        for (int o = 0; o < 5; o++)
            for (int i = 0; i < 5; i++)
                for (int tap = 0; tap < 9; tap++)
                    Assert.Equal(o == i && tap == 4 ? 1f : 0f, kernel[(o * 5 + i) * 9 + tap]);
        float[] targets = Enumerable.Range(0, Batch * TinyDcGeneratorDeepFloat.OutputSize).Select(i => MathF.Sin(i)).ToArray();
        deep.TrainStep(latents, targets, Batch);
        Assert.NotEqual(kernel, deep.Parameters.Slice(fresh[0].Offset, kernel.Length).ToArray());
    }

    [Fact]
    public void ANetworkWhoseTensorsDoNotFitIsRefused()
    {
        TinyDcGeneratorFloat shallow = Trained(out _);
        // The discriminator's tensors fit no generator: its first weight [3, 1, 3, 3] is not a square convolution.
        var error = Assert.Throws<ArgumentException>(() => Deepening.Deepen(new TinyDcDiscriminatorFloat(), new TinyDcGeneratorDeepFloat()));
        Assert.Contains("matches no tensor", error.Message);
        // The deeper network into the shallower one: the last layer's [5, 1, 3, 3] meets the extra convolution's [5, 5, 3, 3].
        var deep = new TinyDcGeneratorDeepFloat();
        Deepening.Deepen(shallow, deep);
        error = Assert.Throws<ArgumentException>(() => Deepening.Deepen(deep, new TinyDcGeneratorFloat()));
        Assert.Contains("layers.7.weight [5, 1, 3, 3] matches no tensor", error.Message);
    }
}
