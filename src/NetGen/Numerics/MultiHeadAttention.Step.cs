using System;
using System.Numerics;

namespace NetGen.Numerics;

public static unsafe partial class MultiHeadAttention
{
    /// <summary>
    /// One generation step with cached keys and values: the attention output at <paramref name="position"/>
    /// for one new input row per sample, attending to positions 0..position (the cache plus the new one).
    /// Writes the new row's key and value into the caches at <paramref name="position"/> first. For a
    /// causal layer this is the forward pass's row <c>position</c> over the same prefix: bit for bit
    /// whenever the <see cref="Dense"/> projections take the same kernel for batch rows as for batch × time
    /// rows (always for widths above four vectors, e.g. 128 floats), else within rounding (the scores,
    /// softmax and context sums are the forward pass's operations in the same order either way).
    /// </summary>
    /// <param name="x">The new input rows [batch, width].</param>
    /// <param name="inProjWeight">in_proj_weight [3·width, width].</param>
    /// <param name="inProjBias">in_proj_bias [3·width].</param>
    /// <param name="outProjWeight">out_proj.weight [width, width].</param>
    /// <param name="outProjBias">out_proj.bias [width].</param>
    /// <param name="keyCache">State [batch, maxTime, width]: keys of positions 0..position−1 (row position is written).</param>
    /// <param name="valueCache">State [batch, maxTime, width]: values, as the keys.</param>
    /// <param name="position">The new row's position, 0 ≤ position &lt; maxTime.</param>
    /// <param name="y">Output [batch, width].</param>
    /// <param name="qkv">Scratch [batch, 3·width].</param>
    /// <param name="context">Scratch [batch, width].</param>
    /// <param name="scores">Scratch [maxTime].</param>
    /// <param name="batch">Samples.</param>
    /// <param name="maxTime">Capacity of the caches (the network's timeSteps).</param>
    /// <param name="width">Embedding width E.</param>
    /// <param name="heads">Heads H.</param>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> inProjWeight, ReadOnlySpan<T> inProjBias, ReadOnlySpan<T> outProjWeight, ReadOnlySpan<T> outProjBias,
        Span<T> keyCache, Span<T> valueCache, int position, Span<T> y, Span<T> qkv, Span<T> context, Span<T> scores, int batch, int maxTime, int width, int heads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(batch, maxTime, width, heads);
        if ((uint)position >= (uint)maxTime)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The position must be in [0, {maxTime}): the key/value cache holds {maxTime} positions.");
        Check(x.Length, (long)batch * width, nameof(x));
        CheckParameters(inProjWeight, inProjBias, outProjWeight, outProjBias, width);
        Check(keyCache.Length, (long)batch * maxTime * width, nameof(keyCache));
        Check(valueCache.Length, (long)batch * maxTime * width, nameof(valueCache));
        Check(y.Length, (long)batch * width, nameof(y));
        Check(qkv.Length, 3L * batch * width, nameof(qkv));
        Check(context.Length, (long)batch * width, nameof(context));
        Check(scores.Length, maxTime, nameof(scores));
        int d = width / heads, stride = 3 * width, keys = position + 1;
        T scale = T.One / T.Sqrt(T.CreateTruncating(d));

        // [q | k | v] = x·in_projᵀ + b for the new rows; k and v join the caches at `position`.
        Dense.Forward(x, inProjWeight, inProjBias, qkv, batch, width, 3 * width);
        for (int b = 0; b < batch; b++)
        {
            qkv.Slice(b * stride + width, width).CopyTo(keyCache.Slice((b * maxTime + position) * width, width));
            qkv.Slice(b * stride + 2 * width, width).CopyTo(valueCache.Slice((b * maxTime + position) * width, width));
        }

        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> sampleKeys = keyCache.Slice(b * maxTime * width, keys * width);
            ReadOnlySpan<T> sampleValues = valueCache.Slice(b * maxTime * width, keys * width);
            for (int h = 0; h < heads; h++)
            {
                ReadOnlySpan<T> q = qkv.Slice(b * stride + h * d, d);
                // s[s] = Σⱼ (q[j]/√d)·k[s, j], j in order (the forward pass's sequence per element).
                Span<T> row = scores.Slice(0, keys);
                for (int s = 0; s < keys; s++)
                {
                    ReadOnlySpan<T> k = sampleKeys.Slice(s * width + h * d, d);
                    T acc = T.Zero;
                    for (int j = 0; j < d; j++) acc = Simd.MultiplyAdd(q[j] * scale, k[j], acc);
                    row[s] = acc;
                }
                // P = softmax(s) over positions 0..position, the maximum subtracted.
                AttentionRows.Softmax(row, keys);
                // context[head] = Σ_s P[s]·v[s, head].
                Span<T> c = context.Slice(b * width + h * d, d);
                c.Clear();
                fixed (T* pc = c, pv = sampleValues, pw = row)
                    AttentionRows.AccumulateWeightedRows(pc, pv + h * d, width, pw, T.One, keys, d);
            }
        }

        // y = context·out_projᵀ + b.
        Dense.Forward(context, outProjWeight, outProjBias, y, batch, width, width);
    }

    /// <summary>
    /// nn.MultiheadAttention's initialisation: in_proj_weight Xavier-uniform over [3E, E] (fan_in E, fan_out 3E),
    /// in_proj_bias and out_proj.bias zero, out_proj.weight U(−1/√E, 1/√E) (nn.Linear's default).
    /// </summary>
    public static void Initialize<T>(Span<T> inProjWeight, Span<T> inProjBias, Span<T> outProjWeight, Span<T> outProjBias, int width, ref SplitMix64 rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckParameters<T>(inProjWeight, inProjBias, outProjWeight, outProjBias, width);
        Initializers.GlorotUniform(inProjWeight.Slice(0, 3 * width * width), width, 3 * width, ref rng);
        inProjBias.Slice(0, 3 * width).Clear();
        Initializers.Uniform(outProjWeight.Slice(0, width * width), 1.0 / Math.Sqrt(width), ref rng);
        outProjBias.Slice(0, width).Clear();
    }
}
