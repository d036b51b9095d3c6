using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Distributed.Tests;

/// <summary>ComputeGradients + OptimizerUpdate.Apply must be TrainStep, bit for bit, for every optimizer.</summary>
public class OptimizerUpdateTests
{
    [Fact] public void Sgd_with_weight_decay_matches_TrainStep() => MatchesTrainStep<SgdNet, float>(new SgdNet(), new SgdNet());
    [Fact] public void Momentum_matches_TrainStep() => MatchesTrainStep<MomentumNet, float>(new MomentumNet(), new MomentumNet());
    [Fact] public void RmsProp_matches_TrainStep() => MatchesTrainStep<RmsPropNet, float>(new RmsPropNet(), new RmsPropNet());
    [Fact] public void Adam_with_dropout_and_weight_decay_matches_TrainStep() => MatchesTrainStep<AdamDropoutNet, float>(new AdamDropoutNet(), new AdamDropoutNet());
    [Fact] public void Adam_in_double_precision_matches_TrainStep() => MatchesTrainStep<AdamDoubleNet, double>(new AdamDoubleNet(), new AdamDoubleNet());

    [Fact]
    public void Gradients_of_the_wrong_length_are_rejected_naming_the_parameter_count()
    {
        var net = new SgdNet();
        var e = Assert.Throws<ArgumentException>(() => OptimizerUpdate<float>.For(typeof(SgdNet)).Apply(net, new float[SgdNet.ParameterCount - 1]));
        Assert.Contains($"ParameterCount = {SgdNet.ParameterCount}", e.Message);
    }

    [Fact]
    public void A_class_without_a_Network_attribute_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerUpdate<float>.For(typeof(string)));
        Assert.Contains("[Network]", e.Message);
    }

    /// <summary>Eight steps on 9-sample batches, the learning rate changed half-way; parameters, state and step must agree exactly.</summary>
    private static void MatchesTrainStep<TNetwork, T>(TNetwork reference, TNetwork candidate)
        where TNetwork : INetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = SyntheticData.Classes(72, seed: 9);
        var update = OptimizerUpdate<T>.For(typeof(TNetwork));
        for (int step = 0; step < 8; step++)
        {
            if (step == 4) reference.LearningRate = candidate.LearningRate = 0.0137;
            (T[] x, T[] t) = SyntheticData.Batch<T>(data, step * 9, 9, reference.OutputSize);
            reference.TrainStep(x, t, 9);
            candidate.ComputeGradients(x, t, 9);
            update.Apply(candidate, candidate.Gradients);
        }
        Assert.Equal(reference.OptimizerStep, candidate.OptimizerStep);
        Assert.Equal(Bits<T>(reference.Parameters), Bits<T>(candidate.Parameters));
        Assert.Equal(Bits<T>(reference.OptimizerState), Bits<T>(candidate.OptimizerState));
    }

    private static byte[] Bits<T>(Span<T> values) where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();
}
