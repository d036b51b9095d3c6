namespace NetGen.Trust.Tests.Sequences;

/// <summary>Which loss member a sequence or attention runner calls.</summary>
internal enum LossCall { Compute, Gradients, TrainStep }

/// <summary>
/// The loss members of a double sequence network, called through the interface that fits the case: token or float
/// input, class-id or float targets (shared by <see cref="SequenceRunner"/> and <see cref="AttentionRunner"/>).
/// </summary>
internal static class LossCalls
{
    public static double Call(Loss loss, bool tokenInput, object net, int[] ids, double[] x, double[] t, int[] labels, int batch, LossCall call)
    {
        if (loss == Loss.CrossEntropy && tokenInput)
        {
            var n = (IClassIndexTargets<int, double>)net;
            return call switch { LossCall.Compute => n.ComputeLoss(ids, labels, batch), LossCall.Gradients => n.ComputeGradients(ids, labels, batch), _ => n.TrainStep(ids, labels, batch) };
        }
        if (loss == Loss.CrossEntropy)
        {
            var n = (IClassIndexTargets<double, double>)net;
            return call switch { LossCall.Compute => n.ComputeLoss(x, labels, batch), LossCall.Gradients => n.ComputeGradients(x, labels, batch), _ => n.TrainStep(x, labels, batch) };
        }
        if (tokenInput)
        {
            var n = (ITokenNetwork<double>)net;
            return call switch { LossCall.Compute => n.ComputeLoss(ids, t, batch), LossCall.Gradients => n.ComputeGradients(ids, t, batch), _ => n.TrainStep(ids, t, batch) };
        }
        var f = (INetwork<double>)net;
        return call switch { LossCall.Compute => f.ComputeLoss(x, t, batch), LossCall.Gradients => f.ComputeGradients(x, t, batch), _ => f.TrainStep(x, t, batch) };
    }
}
