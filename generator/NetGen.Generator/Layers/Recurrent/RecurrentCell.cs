using System.Collections.Generic;

namespace NetGen.Generator.Layers;

/// <summary>
/// One scratch span of a recurrent kernel call, named as the kernel's parameter: <paramref name="Width"/>·H
/// values per time step when <paramref name="PerTimeStep"/> (a [batch, time, width·H] cache), else per sample.
/// </summary>
internal sealed record RecurrentScratch(string Name, int Width, bool PerTimeStep, string Meaning);

/// <summary>
/// What differs between SimpleRnn, Lstm and Gru for the emitter: the kernel class in NetGen.Numerics,
/// the gate count G, the math (for comments), and the scratch spans of Forward and Backward in the kernel's
/// parameter order (docs/recurrent-kernels.md). Every Forward ends its scratch with state [H] and
/// stepProducts [G·H]; Step takes state [H] (and cell [H] for the LSTM) and stepProducts [2·G·H].
/// </summary>
internal sealed record RecurrentCell(string Kernel, int Gates, string Math, bool HasCell,
    IReadOnlyList<RecurrentScratch> ForwardCaches, IReadOnlyList<RecurrentScratch> BackwardScratch)
{
    public static RecurrentCell SimpleRnn { get; } = new("SimpleRnn", 1, "h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh)", HasCell: false,
        new[] { new RecurrentScratch("states", 1, true, "h_t of every step"), new RecurrentScratch("previousStates", 1, true, "h_{t−1} of every step") },
        new[] { new RecurrentScratch("gateGradients", 1, true, "d(loss)/d(pre-activation) of every step"), new RecurrentScratch("stepGradients", 1, false, "the same for one step"), new RecurrentScratch("stateGradient", 1, false, "d(loss)/d(h) carried back") });

    public static RecurrentCell Lstm { get; } = new("Lstm", 4, "i, f, o = σ(·), g = tanh(·) of W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh; c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh(c_t)", HasCell: true,
        new[] { new RecurrentScratch("gates", 4, true, "i, f, g, o of every step"), new RecurrentScratch("cells", 1, true, "c_t of every step"), new RecurrentScratch("previousStates", 1, true, "h_{t−1} of every step") },
        new[] { new RecurrentScratch("gateGradients", 4, true, "d(loss)/d(gate pre-activations) of every step"), new RecurrentScratch("stepGradients", 4, false, "the same for one step"),
                new RecurrentScratch("stateGradient", 1, false, "d(loss)/d(h) carried back"), new RecurrentScratch("cellGradient", 1, false, "d(loss)/d(c) carried back") });

    public static RecurrentCell Gru { get; } = new("Gru", 3, "r, z = σ(·); n = tanh(W_in·x_t + b_in + r ⊙ (W_hn·h_{t−1} + b_hn)); h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}", HasCell: false,
        new[] { new RecurrentScratch("gates", 3, true, "r, z, n of every step"), new RecurrentScratch("hiddenCandidates", 1, true, "W_hn·h_{t−1} + b_hn of every step"), new RecurrentScratch("previousStates", 1, true, "h_{t−1} of every step") },
        new[] { new RecurrentScratch("inputGateGradients", 3, true, "d(loss)/d(input-side pre-activations) of every step"), new RecurrentScratch("hiddenGateGradients", 3, true, "d(loss)/d(hidden-side pre-activations) of every step"),
                new RecurrentScratch("stepGradients", 3, false, "one step's gate gradients"), new RecurrentScratch("stateGradient", 1, false, "d(loss)/d(h) carried back"), new RecurrentScratch("directGradient", 1, false, "d(loss)/d(h_{t−1}) through z") });
}
