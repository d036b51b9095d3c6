using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>What the values of one sample are: the kinds of activation a layer takes and gives.</summary>
public enum ShapeKind
{
    /// <summary><c>[features]</c>.</summary>
    Vector = 0,
    /// <summary><c>[channels, height, width]</c>, NCHW per sample.</summary>
    Image = 1,
    /// <summary><c>[timeSteps, features]</c> floats, row-major per sample (PyTorch's <c>batch_first=True</c>).</summary>
    Sequence = 2,
    /// <summary><c>[timeSteps]</c> integer token ids (only as the input of a kind that consumes tokens).</summary>
    Tokens = 3,
}

/// <summary>The shape of one sample: its kind and its dimensions (the batch is not included).</summary>
public sealed record TensorShape(ShapeKind Kind, EquatableArray<int> Dims)
{
    public static TensorShape Vector(int features) => new(ShapeKind.Vector, new EquatableArray<int>(new[] { features }));
    public static TensorShape Image(int channels, int height, int width) => new(ShapeKind.Image, new EquatableArray<int>(new[] { channels, height, width }));
    public static TensorShape Sequence(int timeSteps, int features) => new(ShapeKind.Sequence, new EquatableArray<int>(new[] { timeSteps, features }));
    public static TensorShape Tokens(int timeSteps) => new(ShapeKind.Tokens, new EquatableArray<int>(new[] { timeSteps }));

    /// <summary>Values per sample (for tokens: ids per sample).</summary>
    public int Size => Dims.Aggregate(1, (a, b) => a * b);

    /// <summary>Values per sample as a long, for overflow checks.</summary>
    public long LongSize => Dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>Rows per sample a layer without a time axis runs over: the time steps of a sequence, else 1.</summary>
    public int TimeSteps => Kind is ShapeKind.Sequence or ShapeKind.Tokens ? Dims[0] : 1;

    /// <summary>The width of one row: the last dimension of a sequence, the whole sample otherwise.</summary>
    public int Features => Kind == ShapeKind.Sequence ? Dims[1] : Size;

    public bool IsSequence => Kind == ShapeKind.Sequence;

    /// <summary>The same time axis with another feature width: a sequence stays a sequence, anything else becomes a vector.</summary>
    public TensorShape WithFeatures(int features) => IsSequence ? Sequence(Dims[0], features) : Vector(features);

    /// <summary><c>(a, b)</c>.</summary>
    public string DimsText => "(" + string.Join(", ", Dims) + ")";

    /// <summary>Keras's notation with the batch: <c>(None, a, b)</c>.</summary>
    public string BatchText => "(None, " + string.Join(", ", Dims) + ")";
}
