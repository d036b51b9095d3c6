using System.Collections.Generic;

namespace NetGen.Trust.Tests.Hostile;

/// <summary>
/// Declarations written to break the generator: wrong types, missing arguments, huge and negative sizes,
/// unknown enum values, attributes on the wrong targets, classes in odd places. Each must end with
/// NETGEN diagnostics (or plain compiler errors in the user's own code) or clean output.
/// </summary>
public static class HostileCorpus
{
    private const string Net = "[Network] [Input(3)] [Dense(2)]";

    /// <summary>
    /// Declarations DESIGN.md says are errors: each must get a NETGEN error (not just compile, not just a
    /// plain compiler error).
    /// </summary>
    public static bool MustDiagnose(string name) => name is "not partial" or "static" or "generic" or "file-local" or "file-local used" or "record" or "record class" or "nested in generic" or "nested in non-partial"
        or "split over partial declarations" or "split over two files" or "missing Input" or "Input after layer" or "two Inputs" or "no layers"
        or "image input into Dense" or "too many parameters" or "Maxout overflow" or "image size overflow" or "Input(0, 0, 0)" or "600 layers"
        or "(Activation)99" or "(Activation)-1" or "standalone (Activation)42" or "(Loss)7" or "(Optimizer)42" or "(Precision)5"
        or "Softmax not last" or "standalone Softmax not last" or "BinaryStep hidden" or "BinaryStep standalone" or "duplicate names"
        or "Name = \"\"" or "Name = \"a b\"" or "Name = \"a\\\"b\"" or "Name = \"a\\nb\""
        || name is "SimpleRnn Input(0, 3)" || (name.StartsWith("SimpleRnn") || name.StartsWith("Lstm") || name.StartsWith("Gru"))
            && (name.EndsWith("(0)") || name.EndsWith("(-1)") || name.EndsWith("(int.MinValue)") || name.EndsWith("on an image") || name.EndsWith("on a vector") || name.Contains("after a last-step") || name.EndsWith("overflow"))
        || name.StartsWith("Input(0)") || name.StartsWith("Input(-1)") || name.StartsWith("Input(int.MinValue)")
        || name.StartsWith("Dense(0)") || name.StartsWith("Dense(-1)") || name.StartsWith("Dense(int.MinValue)")
        || name is "BatchNorm on sequence" or "BatchNorm twice, named" or "ConvTranspose2D on vector" or "ConvTranspose2D output padding = stride" or "ConvTranspose2D negative padding"
            or "ConvTranspose2D padding swallows output" or "ConvTranspose2D(0, 3)" or "Reshape size mismatch" or "Reshape overflow" or "Reshape(0, 1, 1)"
        || name is "Maxout(0, 2)" or "Maxout(-1, 2)" or "Maxout(2, 0)" or "Maxout(2, -1)" or "Maxout(int.MinValue, 2)" or "Maxout(2, int.MinValue)"
        || name is "LearningRate = -1f" or "LearningRate = float.NaN" or "LearningRate = float.PositiveInfinity" or "Momentum = 1f" or "Momentum = -1f"
        || name is "Epsilon = 0f" or "Epsilon = -1f" or "WeightDecay = -1f" or "Dropout(1f)" or "Dropout(-1f)" or "Dropout(float.NaN)" or "Beta2 = 1f" or "ELU Alpha = 0f" or "ELU Alpha = -1f"
        || name.StartsWith("Embedding error:")
        || name.StartsWith("attention: ") || name is "ClipNorm = -1f" or "ClipNorm = float.NaN" or "(Optimizer)5";

    public static IEnumerable<(string Name, string Source)> All()
    {
        // ---- the class itself ----
        yield return ("not partial", $"{Net} public class N;");
        yield return ("static", $"{Net} public static partial class N {{ }}");
        yield return ("abstract", $"{Net} public abstract partial class N;");
        yield return ("sealed internal", $"{Net} internal sealed partial class N;");
        yield return ("unsafe", $"{Net} public unsafe partial class N;");
        yield return ("generic", $"{Net} public partial class N<T>;");
        yield return ("nested in generic", $"public partial class Outer<T> {{ {Net} public partial class N; }}");
        yield return ("nested in non-partial", $"public class Outer {{ {Net} public partial class N; }}");
        yield return ("nested in struct", $"public partial struct Outer {{ {Net} public partial class N; }}");
        yield return ("nested in record", $"public partial record Outer {{ {Net} public partial class N; }}");
        yield return ("nested in record struct", $"public partial record struct Outer {{ {Net} public partial class N; }}");
        yield return ("nested in interface", $"public partial interface IOuter {{ {Net} public partial class N; }}");
        yield return ("nested in static", $"public static partial class Outer {{ {Net} public partial class N; }}");
        yield return ("nested three deep, private", $"namespace A.B {{ partial class O1 {{ partial struct O2 {{ {Net} private partial class N; }} }} }}");
        yield return ("nested in generic method's class", $"public partial class Outer {{ public void M<T>() {{ }} {Net} protected internal partial class N; }}");
        yield return ("file-local", $"{Net} file partial class N;");
        yield return ("file-local used", $"{Net} file partial class N; file static class Use {{ public static int Size => N.InputSize; }}");
        yield return ("record", $"{Net} public partial record N;");
        yield return ("record class", $"{Net} public partial record class N;");
        yield return ("global namespace, keyword name", $"{Net} public partial class @class;");
        yield return ("keyword namespace", $"namespace @event.@fixed {{ {Net} public partial class N; }}");
        yield return ("unicode name", $"{Net} public partial class Réseau_ž;");
        yield return ("name shadows framework types", $"namespace X {{ class Span {{ }} class MathF {{ }} class Math {{ }} class System {{ }} class NetGen {{ }} {Net.Replace("[", "[global::NetGen.")} public partial class N; }}");
        yield return ("type named like generated members", $"namespace Y {{ {Net} public partial class Parameters; }}");
        yield return ("class named Network", $"{Net} public partial class Network;");
        yield return ("split over partial declarations", "[Network] [Input(3)] public partial class N; [Dense(2)] public partial class N;");
        yield return ("split over two files", "[Network] [Input(3)] [Dense(2)] public partial class N;\n//FILE\n[Dense(4)] public partial class N;");
        yield return ("Network on one partial, layers on another", "[Network] public partial class N; [Input(3)] [Dense(2)] public partial class N;");
        yield return ("partial with user members", $"{Net} public partial class N {{ public int Hidden; public override string ToString() => \"n\"; }}");
        yield return ("user member clash", $"{Net} public partial class N {{ public int InputSize => 3; }}");
        yield return ("user method clash", $"{Net} public partial class N {{ public void Predict(System.ReadOnlySpan<float> a, System.Span<float> b) {{ }} }}");
        yield return ("base class", $"public class B {{ public virtual int OutputSize => 0; }} {Net} public partial class N : B;");
        yield return ("struct target", $"{Net} public partial struct N;");
        yield return ("method target", "public class C { [Network] [Input(3)] [Dense(2)] void M() { } }");
        yield return ("interface target", $"{Net} public partial interface IN;");
        yield return ("enum target", $"{Net} public enum E {{ A }}");
        yield return ("assembly target", "[assembly: Network] [assembly: Dense(2)] class C { }");
        yield return ("top-level statements", $"System.Console.WriteLine(1);\n{Net} partial class N;");
        yield return ("nullable disabled", $"#nullable disable\n{Net} public partial class N;");
        yield return ("aliased and qualified attributes", "using D = NetGen.DenseAttribute; [NetGen.Network] [NetGen.InputAttribute(3)] [D(2)] [global::NetGen.Dense(1)] public partial class N;");
        yield return ("Input only", "[Input(3)] [Dense(2)] public partial class N;");
        yield return ("layers only", "[Dense(2)] public partial class N;");
        yield return ("Network only", "[Network] public partial class N;");

        // ---- Input and layer order ----
        yield return ("missing Input", "[Network] [Dense(2)] public partial class N;");
        yield return ("Input after layer", "[Network] [Dense(2)] [Input(3)] public partial class N;");
        yield return ("two Inputs", "[Network] [Input(3)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("no layers", "[Network] [Input(3)] public partial class N;");
        yield return ("sequence input", "[Network] [Input(4, 3)] [Dense(2)] public partial class N;");
        yield return ("image input into Dense", "[Network] [Input(1, 4, 4)] [Dense(2)] public partial class N;");
        yield return ("image input flattened", "[Network] [Input(1, 4, 4)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Flatten on a vector", "[Network] [Input(5)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Conv2D", "[Network] [Input(1, 5, 5)] [Conv2D(2, 3)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Conv2D stride/padding", "[Network] [Input(2, 6, 6)] [Conv2D(3, 3, Activation.ReLU, Stride = 2, Padding = 1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Conv2D bad stride", "[Network] [Input(1, 6, 6)] [Conv2D(3, 3, Stride = 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Conv2D kernel too big", "[Network] [Input(1, 2, 2)] [Conv2D(3, 5)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("MaxPool2D", "[Network] [Input(1, 4, 4)] [MaxPool2D(2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("AvgPool2D stride 0", "[Network] [Input(1, 4, 4)] [AvgPool2D(2, Stride = 0)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("MaxPool2D negative stride", "[Network] [Input(1, 4, 4)] [MaxPool2D(2, Stride = -1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("pool on vector", "[Network] [Input(4)] [MaxPool2D(2)] [Dense(2)] public partial class N;");
        yield return ("BatchNorm on vector", "[Network] [Input(3)] [BatchNorm] [Dense(2)] public partial class N;");
        yield return ("BatchNorm on image", "[Network] [Input(2, 3, 3)] [BatchNorm] [Flatten] [Dense(2)] public partial class N;");
        yield return ("BatchNorm on sequence", "[Network] [Input(4, 3)] [BatchNorm] [Flatten] [Dense(2)] public partial class N;");
        yield return ("BatchNorm only", "[Network] [Input(3)] [BatchNorm] public partial class N;");
        yield return ("BatchNorm twice, named", "[Network] [Input(3)] [BatchNorm(Name = \"bn\")] [BatchNorm(Name = \"bn\")] public partial class N;");
        yield return ("ConvTranspose2D", "[Network] [Input(1, 3, 3)] [ConvTranspose2D(2, 3, Stride = 2, Padding = 1, OutputPadding = 1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("ConvTranspose2D on vector", "[Network] [Input(4)] [ConvTranspose2D(2, 3)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("ConvTranspose2D output padding = stride", "[Network] [Input(1, 3, 3)] [ConvTranspose2D(2, 3, Stride = 2, OutputPadding = 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("ConvTranspose2D negative padding", "[Network] [Input(1, 3, 3)] [ConvTranspose2D(2, 3, Padding = -1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("ConvTranspose2D padding swallows output", "[Network] [Input(1, 1, 1)] [ConvTranspose2D(2, 1, Padding = 5)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("ConvTranspose2D huge", "[Network] [Input(1, 3, 3)] [ConvTranspose2D(int.MaxValue, int.MaxValue, Stride = int.MaxValue)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("ConvTranspose2D(0, 3)", "[Network] [Input(1, 3, 3)] [ConvTranspose2D(0, 3)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Reshape", "[Network] [Input(12)] [Reshape(3, 2, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Reshape size mismatch", "[Network] [Input(10)] [Reshape(3, 2, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Reshape overflow", "[Network] [Input(4)] [Reshape(int.MaxValue, int.MaxValue, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Reshape(0, 1, 1)", "[Network] [Input(4)] [Reshape(0, 1, 1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Reshape last", "[Network] [Input(4)] [Dense(4)] [Reshape(1, 2, 2)] public partial class N;");

        // ---- recurrent layers ----
        foreach (string kind in new[] { "SimpleRnn", "Lstm", "Gru" })
        {
            yield return ($"{kind}(0)", $"[Network] [Input(4, 3)] [{kind}(0)] [Dense(2)] public partial class N;");
            yield return ($"{kind}(-1)", $"[Network] [Input(4, 3)] [{kind}(-1)] [Dense(2)] public partial class N;");
            yield return ($"{kind}(int.MinValue)", $"[Network] [Input(4, 3)] [{kind}(int.MinValue, ReturnSequences = true)] [Dense(2)] public partial class N;");
            yield return ($"{kind} on an image", $"[Network] [Input(1, 4, 4)] [{kind}(3)] [Dense(2)] public partial class N;");
            yield return ($"{kind} on a vector", $"[Network] [Input(4)] [{kind}(3)] [Dense(2)] public partial class N;");
            yield return ($"{kind} after a last-step {kind}", $"[Network] [Input(4, 3)] [{kind}(3)] [{kind}(3)] [Dense(2)] public partial class N;");
            yield return ($"{kind} overflow", $"[Network] [Input(4, 3)] [{kind}(65536)] [Dense(2)] public partial class N;");
            yield return ($"{kind} stacked", $"[Network] [Input(4, 3)] [{kind}(3, ReturnSequences = true)] [{kind}(2, ReturnSequences = true)] [Flatten] [Dense(2)] public partial class N;");
        }
        yield return ("Lstm(\"3\")", "[Network] [Input(4, 3)] [Lstm(\"3\")] [Dense(2)] public partial class N;");
        yield return ("Gru ReturnSequences = 1", "[Network] [Input(4, 3)] [Gru(3, ReturnSequences = 1)] [Dense(2)] public partial class N;");
        yield return ("SimpleRnn Input(0, 3)", "[Network] [Input(0, 3)] [SimpleRnn(3)] [Dense(2)] public partial class N;");

        // ---- sizes ----
        foreach (string size in new[] { "0", "-1", "int.MinValue", "int.MaxValue", "1 << 20", "100000" })
        {
            yield return ($"Input({size})", $"[Network] [Input({size})] [Dense(2)] public partial class N;");
            yield return ($"Dense({size})", $"[Network] [Input(3)] [Dense({size})] public partial class N;");
            yield return ($"Maxout({size}, 2)", $"[Network] [Input(3)] [Maxout({size}, 2)] public partial class N;");
            yield return ($"Maxout(2, {size})", $"[Network] [Input(3)] [Maxout(2, {size})] public partial class N;");
        }
        yield return ("too many parameters", "[Network] [Input(100000)] [Dense(100000)] public partial class N;");
        yield return ("Maxout overflow", "[Network] [Input(3)] [Maxout(65536, 65536)] public partial class N;");
        yield return ("image size overflow", "[Network] [Input(65536, 65536, 65536)] [Flatten] [Dense(1)] public partial class N;");
        yield return ("Input(0, 0, 0)", "[Network] [Input(0, 0, 0)] [Flatten] [Dense(1)] public partial class N;");
        yield return ("600 layers", "[Network] [Input(2)] " + string.Concat(System.Linq.Enumerable.Repeat("[Dense(2, Activation.Tanh)] ", 600)) + "public partial class N;");
        yield return ("100 layers", "[Network] [Input(2)] " + string.Concat(System.Linq.Enumerable.Repeat("[Dense(2, Activation.Tanh)] ", 100)) + "public partial class N;");

        // ---- enums ----
        yield return ("(Activation)99", "[Network] [Input(3)] [Dense(2, (Activation)99)] public partial class N;");
        yield return ("(Activation)-1", "[Network] [Input(3)] [Dense(2, (Activation)(-1))] public partial class N;");
        yield return ("standalone (Activation)42", "[Network] [Input(3)] [Dense(2)] [Activation((Activation)42)] public partial class N;");
        yield return ("(Loss)7", "[Network(Loss = (Loss)7)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("(Optimizer)42", "[Network(Optimizer = (Optimizer)42)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("(Precision)5", "[Network(Precision = (Precision)5)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("Softmax not last", "[Network] [Input(3)] [Dense(4, Activation.Softmax)] [Dense(2)] public partial class N;");
        yield return ("standalone Softmax not last", "[Network] [Input(3)] [Activation(Activation.Softmax)] [Dense(2)] public partial class N;");
        yield return ("BinaryStep hidden", "[Network] [Input(3)] [Dense(4, Activation.BinaryStep)] [Dense(2)] public partial class N;");
        yield return ("BinaryStep standalone", "[Network] [Input(3)] [Dense(2)] [Activation(Activation.BinaryStep)] public partial class N;");
        yield return ("perceptron with BCE", "[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam)] [Input(3)] [Dense(2, Activation.BinaryStep)] public partial class N;");
        yield return ("CE without softmax", "[Network(Loss = Loss.CrossEntropy)] [Input(3)] [Dense(2, Activation.Tanh)] public partial class N;");
        yield return ("BCE without sigmoid", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(2, Activation.ReLU)] public partial class N;");
        yield return ("CE ends in Dropout", "[Network(Loss = Loss.CrossEntropy)] [Input(3)] [Dense(2, Activation.Softmax)] [Dropout(0.5f)] public partial class N;");
        yield return ("PReLU standalone on image", "[Network] [Input(2, 3, 3)] [Activation(Activation.PReLU)] [Flatten] [Dense(2)] public partial class N;");

        // ---- real-valued settings ----
        foreach (string v in new[] { "-1f", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity", "0f", "1f", "1e30f", "float.Epsilon" })
        {
            yield return ($"LearningRate = {v}", $"[Network(LearningRate = {v})] [Input(3)] [Dense(2)] public partial class N;");
            yield return ($"Momentum = {v}", $"[Network(Optimizer = Optimizer.Momentum, Momentum = {v})] [Input(3)] [Dense(2)] public partial class N;");
            yield return ($"Beta2 = {v}", $"[Network(Optimizer = Optimizer.Adam, Beta2 = {v})] [Input(3)] [Dense(2)] public partial class N;");
            yield return ($"Epsilon = {v}", $"[Network(Optimizer = Optimizer.RmsProp, Epsilon = {v})] [Input(3)] [Dense(2)] public partial class N;");
            yield return ($"WeightDecay = {v}", $"[Network(WeightDecay = {v})] [Input(3)] [Dense(2)] public partial class N;");
            yield return ($"Dropout({v})", $"[Network] [Input(3)] [Dropout({v})] [Dense(2)] public partial class N;");
            yield return ($"LeakyReLU Alpha = {v}", $"[Network] [Input(3)] [Dense(2, Activation.LeakyReLU, Alpha = {v})] public partial class N;");
            yield return ($"ELU Alpha = {v}", $"[Network] [Input(3)] [Activation(Activation.ELU, Alpha = {v})] [Dense(2)] public partial class N;");
        }
        yield return ("Alpha on Tanh", "[Network] [Input(3)] [Dense(2, Activation.Tanh, Alpha = 0.3f)] public partial class N;");
        yield return ("Seed = int.MinValue", "[Network(Seed = int.MinValue)] [Input(3)] [Dense(2)] public partial class N;");

        // ---- wrong types and missing arguments ----
        yield return ("Dense(\"3\")", "[Network] [Input(3)] [Dense(\"3\")] public partial class N;");
        yield return ("Dense(3.5)", "[Network] [Input(3)] [Dense(3.5)] public partial class N;");
        yield return ("Dense(3, 4)", "[Network] [Input(3)] [Dense(3, 4)] public partial class N;");
        yield return ("Dense()", "[Network] [Input(3)] [Dense()] public partial class N;");
        yield return ("Dense no parens", "[Network] [Input(3)] [Dense] public partial class N;");
        yield return ("Maxout(3)", "[Network] [Input(3)] [Maxout(3)] public partial class N;");
        yield return ("Input()", "[Network] [Input()] [Dense(2)] public partial class N;");
        yield return ("Input(1,2,3,4)", "[Network] [Input(1, 2, 3, 4)] [Dense(2)] public partial class N;");
        yield return ("Input(null)", "[Network] [Input(null)] [Dense(2)] public partial class N;");
        yield return ("Dropout(\"x\")", "[Network] [Input(3)] [Dropout(\"x\")] [Dense(2)] public partial class N;");
        yield return ("Loss = 1", "[Network(Loss = 1)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("Seed = 1.5", "[Network(Seed = 1.5)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("unknown property", "[Network(Foo = 3)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("get-only property", "[Network] [Input(3)] [Dense(2, Units = 4)] public partial class N;");
        yield return ("non-constant argument", "[Network] [Input(System.Environment.ProcessorCount)] [Dense(2)] public partial class N;");
        yield return ("const argument", "[Network] [Input(N.Size)] [Dense(N.Size * 2)] public partial class N { const int Size = 3; }");
        yield return ("two Network attributes", "[Network] [Network] [Input(3)] [Dense(2)] public partial class N;");

        // ---- attention (every entry named "attention: ..." must be diagnosed) ----
        yield return ("attention: heads not dividing width", "[Network] [Input(5, 6)] [MultiHeadAttention(4)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: block heads not dividing width", "[Network] [Input(5, 6)] [TransformerBlock(4, 8)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: heads above width", "[Network] [Input(5, 6)] [TransformerBlock(7, 8)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: zero heads", "[Network] [Input(5, 6)] [MultiHeadAttention(0)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: int.MinValue heads", "[Network] [Input(5, 6)] [TransformerBlock(int.MinValue, 8)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: zero feedForward", "[Network] [Input(5, 6)] [TransformerBlock(2, 0)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: negative feedForward", "[Network] [Input(5, 6)] [TransformerBlock(2, -1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: huge feedForward", "[Network] [Input(5, 6)] [TransformerBlock(2, int.MaxValue)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: huge scratch", "[Network] [Input(16384, 1)] [TransformerBlock(1, 268435456)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: huge attention weights", "[Network] [Input(100000, 2)] [MultiHeadAttention(1)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: maxLength below timeSteps", "[Network] [Input(5, 6)] [PositionalEmbedding(4)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: zero maxLength", "[Network] [Input(5, 6)] [PositionalEmbedding(0)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: int.MinValue maxLength", "[Network] [Input(5, 6)] [PositionalEmbedding(int.MinValue)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: huge maxLength", "[Network] [Input(5, 6)] [PositionalEmbedding(int.MaxValue)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: attention dropout of 1", "[Network] [Input(5, 6)] [MultiHeadAttention(2, Dropout = 1f)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: negative block dropout", "[Network] [Input(5, 6)] [TransformerBlock(2, 4, Dropout = -0.5f)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: block dropout NaN", "[Network] [Input(5, 6)] [TransformerBlock(2, 4, Dropout = float.NaN)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: on a vector", "[Network] [Input(6)] [MultiHeadAttention(2)] [Dense(2)] public partial class N;");
        yield return ("attention: pooling a vector", "[Network] [Input(6)] [GlobalAveragePooling1D] [Dense(2)] public partial class N;");
        yield return ("attention: LayerNorm on an image", "[Network] [Input(1, 3, 3)] [LayerNorm] [Flatten] [Dense(2)] public partial class N;");
        yield return ("attention: (Activation)11", "[Network] [Input(3)] [Dense(2, (Activation)11)] public partial class N;");
        yield return ("ClipNorm = -1f", "[Network(ClipNorm = -1f)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("ClipNorm = float.NaN", "[Network(ClipNorm = float.NaN)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("(Optimizer)5", "[Network(Optimizer = (Optimizer)5)] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("attention dropout (valid)", "[Network(Optimizer = Optimizer.AdamW)] [Input(4)] [Embedding(5, 6)] [TransformerBlock(3, 5, Causal = true, Dropout = 0.1f)] [MultiHeadAttention(2, Dropout = 0.99f)] [GlobalAveragePooling1D] [Dense(2, Activation.Softmax)] public partial class N;");
        yield return ("AdamW GELU clip (valid)", "[Network(Optimizer = Optimizer.AdamW, ClipNorm = 0.5f)] [Input(4, 6)] [PositionalEmbedding(4)] [TransformerBlock(6, 1, Causal = true)] [LayerNorm] [GlobalAveragePooling1D] [Dense(2, Activation.GELU)] public partial class N;");

        // ---- names ----
        foreach (string name in new[] { "\"\"", "\"a b\"", "\"a\\\"b\"", "\"a\\\\b\"", "null", "\"a\\nb\"", "\"*/ /*\"", "\"<tag>&amp;\"", "\"{0}\"", "\"\\u2028\"", "\"layers.1\"" })
            yield return ($"Name = {name}", $"[Network] [Input(3)] [Dense(4, Name = {name})] [Dense(2)] public partial class N;");
        yield return ("duplicate names", "[Network] [Input(3)] [Dense(4, Name = \"h\")] [Dense(2, Name = \"h\")] public partial class N;");
        yield return ("long name", $"[Network] [Input(3)] [Dense(2, Name = \"{new string('x', 5000)}\")] public partial class N;");

        // ---- token input: Embedding (cases named "Embedding error: ..." must get a NETGEN error) ----
        yield return ("Embedding error: vocabulary 0", "[Network] [Input(5)] [Embedding(0, 3)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: vocabulary -1", "[Network] [Input(5)] [Embedding(-1, 3)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: dimensions 0", "[Network] [Input(5)] [Embedding(4, 0)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: not first", "[Network] [Input(5)] [Dense(3)] [Embedding(4, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: timeSteps 0", "[Network] [Input(0)] [Embedding(4, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: on an image", "[Network] [Input(1, 3, 3)] [Embedding(4, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: on a float sequence", "[Network] [Input(3, 2)] [Embedding(4, 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: twice", "[Network] [Input(5)] [Embedding(4, 2)] [Embedding(4, 2, Name = \"e\")] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: table overflow", "[Network] [Input(5)] [Embedding(65536, 65536)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding error: BCE per step", "[Network(Loss = Loss.BinaryCrossEntropy)] [Input(5)] [Embedding(4, 2)] [Dense(2, Activation.Sigmoid)] public partial class N;");
        yield return ("Embedding(\"4\", 2)", "[Network] [Input(5)] [Embedding(\"4\", 2)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding(4)", "[Network] [Input(5)] [Embedding(4)] [Flatten] [Dense(2)] public partial class N;");
        yield return ("Embedding per-step CrossEntropy", "[Network(Loss = Loss.CrossEntropy)] [Input(5)] [Embedding(4, 2)] [Dense(3, Activation.Softmax)] public partial class N;");
        yield return ("Embedding only layer", "[Network] [Input(5)] [Embedding(4, 2)] public partial class N;");

        // ---- broken syntax ----
        yield return ("unterminated attribute", "[Network] [Input(3)] [Dense(2 public partial class N;");
        yield return ("missing semicolon", "[Network] [Input(3)] [Dense(2)] public partial class N");
        yield return ("empty attribute list", "[Network] [] [Input(3)] [Dense(2)] public partial class N;");
        yield return ("garbage after", "[Network] [Input(3)] [Dense(2)] public partial class N; }}} ))) @@@");
    }
}
