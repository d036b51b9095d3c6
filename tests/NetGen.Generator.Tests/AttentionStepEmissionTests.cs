using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// What the generator emits for generation over attention: Step and MaxSteps for causal layers (token or float input),
/// the reason in the file for non-causal ones, and the Step state kept out of Predict's scratch sets.
/// </summary>
public class AttentionStepEmissionTests
{
    private static string Emit(string declaration)
    {
        var (diagnostics, sources, errors) = GeneratorHarness.Run("using NetGen;\nnamespace Demo;\n" + declaration);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        return Assert.Single(sources).SourceText.ToString();
    }

    [Fact]
    public void NonCausalBlockHasNoStepAndSaysWhy()
    {
        string code = Emit("[Network] [Input(5)] [Embedding(7, 4)] [PositionalEmbedding(5)] [TransformerBlock(2, 5)] [LayerNorm] [Dense(7, Activation.Softmax)] public partial class Encoder;");
        Assert.Contains("// No Step or ResetState: layer 'layers.2' (TransformerBlock) is not causal", code);
        Assert.DoesNotContain("public void Step(", code);
        Assert.DoesNotContain("_stepState", code);
    }

    [Fact]
    public void CausalAttentionOnFeaturesStepsUpToTheTimeSteps()
    {
        string code = Emit("[Network] [Input(5, 6)] [PositionalEmbedding(9)] [MultiHeadAttention(3, Causal = true)] [Dense(2)] public partial class Causal;");
        Assert.Contains("public const int StepInputSize = 6;", code);
        // The cache holds the 5 time steps, fewer than the position table's 9 rows: the smaller limit wins.
        Assert.Contains("public const int MaxSteps = 5;", code);
        Assert.Contains("the most layer 'layers.1' (MultiHeadAttention) holds", code);
        Assert.Contains("maxTime: 5, width: 6, heads: 3", code);
    }

    [Fact]
    public void StepStateIsAllocatedOnceAndNotInPredictScratch()
    {
        string code = Emit("[Network] [Input(4)] [Embedding(5, 6)] [PositionalEmbedding(4)] [TransformerBlock(2, 3, Causal = true)] [Dense(5, Activation.Softmax)] public partial class Gpt;");
        // Declared once (the network's field, 2·T·E = 48 values), never in the pooled inference scratch type.
        Assert.Single(Regex.Matches(code, @"float\[\] _stepState2 = new float\[48\]").Cast<Match>());
        Assert.Single(Regex.Matches(code, @"_stepScratch2 = new float\[").Cast<Match>());
    }
}
