using System;

namespace NetGen;

/// <summary>
/// What the recurrent layers (<see cref="SimpleRnnAttribute"/>, <see cref="LstmAttribute"/>,
/// <see cref="GruAttribute"/>) share: their units and whether they return every step.
/// They take a sequence: declare <c>[Input(timeSteps, features)]</c>.
/// </summary>
public abstract class RecurrentLayerAttribute : LayerAttribute
{
    /// <summary>A recurrent layer of <paramref name="units"/> hidden units (H).</summary>
    protected RecurrentLayerAttribute(int units) => Units = units;

    /// <summary>The hidden size H: the width of the state and of each output step.</summary>
    public int Units { get; }

    /// <summary>
    /// True: the output is the state after every step, a sequence [timeSteps, units] (stack recurrent
    /// layers this way). False (the default): only the last step's state, a vector [units].
    /// </summary>
    public bool ReturnSequences { get; set; }
}
