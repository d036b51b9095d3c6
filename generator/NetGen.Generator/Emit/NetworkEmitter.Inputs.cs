using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

// What the input and the loss rows are: float values or token ids, samples or samples × time steps.
internal sealed partial class NetworkEmitter
{
    /// <summary>The first layer consumes token ids (<c>[Input(t)] [Embedding(...)]</c>): the public members take <c>ReadOnlySpan&lt;int&gt;</c>.</summary>
    private bool IsTokenInput => _model.Input.Kind == ShapeKind.Tokens;

    /// <summary>The input element type keyword: <c>int</c> for token ids, else the element type.</summary>
    private string InputElement => IsTokenInput ? "int" : T;

    /// <summary>The span the public members take their inputs in.</summary>
    private string InputSpan => $"global::System.ReadOnlySpan<{InputElement}>";

    /// <summary>The interface that declares the sizes, parameters and optimizer state (explicit implementations name it).</summary>
    private string StateInterface => $"global::NetGen.INetworkState<{T}>";

    /// <summary>The interfaces the class implements: INetwork or ITokenNetwork, and the class-index targets with CrossEntropy.</summary>
    private string Contract
    {
        get
        {
            string network = IsTokenInput
                ? (T == "float" ? "global::NetGen.ITokenNetwork" : "global::NetGen.ITokenNetwork<double>")
                : (T == "float" ? "global::NetGen.INetwork" : "global::NetGen.INetwork<double>");
            return HasClassIndexTargets ? $"{network}, global::NetGen.IClassIndexTargets<{InputElement}, {T}>" : network;
        }
    }

    /// <summary>The rows the loss averages over: <c>n</c>, or <c>n * t</c> when the output is a sequence (batch × time).</summary>
    private string LossRows => EmitContext.RowsOf(_model.Last.Output);

    /// <summary>The width of one loss row: the classes (the last dimension of the output).</summary>
    private int Classes => _model.Last.Output.Features;
}
