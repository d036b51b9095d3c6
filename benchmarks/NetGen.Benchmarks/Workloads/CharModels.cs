using System;

namespace NetGen.Benchmarks.Workloads;

/// <summary>
/// The sequence workloads of the recurrent and attention issues (11, 12): a character-level model over a
/// 65-character vocabulary (tiny Shakespeare's), trained on batches of sequences with a next-character
/// class id per step, and generation one token at a time at batch 1. Token ids are seeded pseudo-random
/// (timing does not depend on which characters they are).
/// </summary>
public static class CharModels
{
    public const int Vocabulary = 65;

    // Issue 11: Embedding(65 → 64) + LSTM or GRU (128 units, every step) + per-step Dense(65), 32 sequences × 64.
    public const int RnnEmbedding = 64, RnnHidden = 128, RnnTime = 64, RnnBatch = 32;

    // Issue 12: nanoGPT's CPU configuration — 4 pre-norm blocks, 4 heads, 128 wide, feed-forward 512, context 64, batch 12.
    public const int GptWidth = 128, GptHeads = 4, GptBlocks = 4, GptFeedForward = 512, GptTime = 64, GptBatch = 12;

    /// <summary>Input ids and next-id labels, <paramref name="count"/> each, seeded.</summary>
    public static (int[] Ids, int[] Next) CreateData(int count, int seed = 1)
    {
        var rng = new Random(seed);
        int[] ids = new int[count + 1];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.Next(Vocabulary);
        return (ids[..count], ids[1..]);
    }

    /// <summary>
    /// Multiply-adds of one forward step per sequence element of a recurrent model with <paramref name="gates"/>
    /// gates (LSTM 4, GRU 3): input and hidden products G·H·(E + H), the output layer H·V. ×2 FLOPs; a train step ×3.
    /// </summary>
    public static double RnnTrainFlops(int gates, int batch) =>
        3 * 2.0 * batch * RnnTime * ((double)gates * RnnHidden * (RnnEmbedding + RnnHidden) + RnnHidden * Vocabulary);

    /// <summary>One generated token: the same per-step products at batch 1, forward only.</summary>
    public static double RnnTokenFlops(int gates) => 2.0 * ((double)gates * RnnHidden * (RnnEmbedding + RnnHidden) + RnnHidden * Vocabulary);

    /// <summary>
    /// Forward multiply-adds per token of the GPT: per block Q/K/V and output projections 4E², feed-forward 2EF, and
    /// causal attention (QKᵀ and ·V over the t+1 visible positions, on average (T+1)/2) 2E·(T+1)/2; then E·V.
    /// </summary>
    private static double GptForwardMacsPerToken(double visible) =>
        GptBlocks * (4.0 * GptWidth * GptWidth + 2.0 * GptWidth * GptFeedForward + 2.0 * GptWidth * visible) + (double)GptWidth * Vocabulary;

    /// <summary>A train iteration: batch × T tokens, forward ×3 (backward twice the forward), ×2 FLOPs.</summary>
    public static double GptTrainFlops(int batch) => 3 * 2.0 * batch * GptTime * GptForwardMacsPerToken((GptTime + 1) / 2.0);

    /// <summary>One generated token with the key/value cache, averaged over the positions 0..T−1.</summary>
    public static double GptTokenFlops() => 2.0 * GptForwardMacsPerToken((GptTime + 1) / 2.0);

    // Roofline traffic (Harness/Roofline.cs). Parameter counts are the generated classes' constants; the values a
    // sequence element keeps are its embedding, gate pre-activations, cell and hidden state (recurrent) or, per block,
    // the two normalised rows, Q/K/V, the attention output, the two residual sums and the feed-forward's pre- and
    // post-GELU rows (GPT), then the logits and probabilities. Targets are one class id per element.

    private static long RnnValuesPerElement(int gates) => RnnEmbedding + (long)gates * RnnHidden + 2L * RnnHidden + 2L * Vocabulary;

    private static long GptValuesPerElement => GptBlocks * (2L * GptWidth + 3L * GptWidth + GptWidth + 2L * GptWidth + 2L * GptFeedForward) + GptWidth + 2L * Vocabulary;

    /// <summary>An Adam train step of the recurrent model over <paramref name="batch"/> sequences.</summary>
    public static Harness.Traffic RnnTrainTraffic(bool lstm, int batch) => Harness.Roofline.Model(true, true,
        lstm ? NetGenRows.CharLstmNet.ParameterCount : NetGenRows.CharGruNet.ParameterCount,
        RnnTime * RnnValuesPerElement(lstm ? 4 : 3), RnnTime, RnnTime, batch);

    /// <summary>The LSTM model's forward pass over <paramref name="batch"/> sequences (probabilities written).</summary>
    public static Harness.Traffic RnnInferenceTraffic(int batch) => Harness.Roofline.Model(false, false,
        NetGenRows.CharLstmNet.ParameterCount, RnnTime * RnnValuesPerElement(4), RnnTime, RnnTime * Vocabulary, batch);

    /// <summary>One generated token: every parameter but the embedding table's other rows read once, one step's values.</summary>
    public static Harness.Traffic RnnTokenTraffic(bool lstm) => Harness.Roofline.Model(false, false,
        (lstm ? NetGenRows.CharLstmNet.ParameterCount : NetGenRows.CharGruNet.ParameterCount) - (Vocabulary - 1) * RnnEmbedding,
        RnnValuesPerElement(lstm ? 4 : 3), 1, Vocabulary, 1);

    /// <summary>An AdamW iteration of the GPT over <paramref name="batch"/> sequences of the full context.</summary>
    public static Harness.Traffic GptTrainTraffic(int batch) => Harness.Roofline.Model(true, true,
        NetGenRows.CharGptNet.ParameterCount, GptTime * GptValuesPerElement, GptTime, GptTime, batch);

    /// <summary>
    /// One generated token: the parameters (less the embedding table's other rows) read once, plus the key/value cache
    /// read up to the average visible length (2·E per visible position and block).
    /// </summary>
    public static Harness.Traffic GptTokenTraffic() => Harness.Roofline.Model(false, false,
        NetGenRows.CharGptNet.ParameterCount - (Vocabulary - 1) * GptWidth + (long)(GptBlocks * 2L * GptWidth * (GptTime + 1) / 2.0),
        GptValuesPerElement, 1, Vocabulary, 1);
}
