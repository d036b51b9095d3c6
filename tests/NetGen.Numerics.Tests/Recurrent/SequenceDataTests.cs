using System;
using System.IO;
using NetGen.Data;
using Xunit;

namespace NetGen.Numerics.Tests.Recurrent;

public class SequenceDataTests
{
    private static string DataFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln"))) return Path.Combine([dir.FullName, "data", "sequences", .. parts]);
        throw new DirectoryNotFoundException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Vocabulary_encodes_decodes_saves_and_loads()
    {
        var vocabulary = CharacterVocabulary.Build("hello, world\n");
        Assert.Equal(" \n,dehlorw".Length, vocabulary.Count);
        Assert.Equal("\n ,dehlorw", new string(vocabulary.Characters)); // sorted by code
        int[] ids = vocabulary.Encode("world hello");
        Assert.Equal("world hello", vocabulary.Decode(ids));
        Assert.Equal(0, vocabulary.IdOf('\n'));
        var e = Assert.Throws<ArgumentException>(() => vocabulary.Encode("hex"));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("position 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([0, 99]));

        string path = Path.GetTempFileName();
        try
        {
            vocabulary.Save(path);
            var loaded = CharacterVocabulary.Load(path);
            Assert.Equal(new string(vocabulary.Characters), new string(loaded.Characters));
            File.WriteAllText(path, "NetGen character vocabulary v1\n0041\nzz\n");
            Assert.Contains("line 3", Assert.Throws<InvalidDataException>(() => CharacterVocabulary.Load(path)).Message);
            File.WriteAllText(path, "something else\n");
            Assert.Throws<InvalidDataException>(() => CharacterVocabulary.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Tiny_Shakespeare_has_65_characters_and_round_trips()
    {
        string text = File.ReadAllText(DataFile("tinyshakespeare", "input.txt"));
        Assert.Equal(1_115_394, text.Length);
        var vocabulary = CharacterVocabulary.Build(text);
        Assert.Equal(65, vocabulary.Count);
        int[] ids = vocabulary.Encode(text);
        Assert.Equal(text, vocabulary.Decode(ids));
    }

    [Fact]
    public void Next_token_windows_shift_targets_by_one()
    {
        int[] tokens = [10, 11, 12, 13, 14, 15, 16];
        var (inputs, targets) = SequenceWindows.NextTokens(tokens, window: 3, stride: 2);
        // Starts 0, 2 (start 4 would need token 7).
        Assert.Equal([10, 11, 12, 12, 13, 14], inputs);
        Assert.Equal([11, 12, 13, 13, 14, 15], targets);
        Assert.Equal(4, SequenceWindows.Count(7, 3));
        Assert.Throws<ArgumentException>(() => SequenceWindows.NextTokens(tokens, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceWindows.NextTokens(tokens, 0));
    }

    [Fact]
    public void Series_windows_take_the_next_values_as_targets()
    {
        float[] series = [1, 2, 3, 4, 5, 6];
        var (inputs, targets) = SequenceWindows.Series(series, window: 3, horizon: 2);
        Assert.Equal([1f, 2, 3, 2, 3, 4], inputs);
        Assert.Equal([4f, 5, 5, 6], targets);
        Assert.Contains("Value 2", Assert.Throws<ArgumentException>(() => SequenceWindows.Series([1f, 2, float.NaN, 4, 5], 2)).Message);
    }

    [Fact]
    public void Padding_and_truncation_at_either_end()
    {
        int[][] sequences = [[1, 2, 3, 4, 5], [6, 7], []];
        Assert.Equal([1, 2, 3, 6, 7, 0, 0, 0, 0], SequencePadding.PadOrTruncate(sequences, 3, 0));
        Assert.Equal([3, 4, 5, 0, 6, 7, 0, 0, 0], SequencePadding.PadOrTruncate(sequences, 3, 0, SequenceEnd.Start, SequenceEnd.Start));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, -1, -1, -1], SequencePadding.PadOrTruncate(sequences[..2], 5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequencePadding.PadOrTruncate(sequences, 0, 0));
    }

    [Theory]
    [InlineData(SeriesScaling.MinMax)]
    [InlineData(SeriesScaling.Standard)]
    public void Series_scaling_is_invertible(SeriesScaling method)
    {
        float[] series = [112, 118, 132, 129, 121, 135, 148, 148];
        var scaler = SeriesScaler.Fit(series, method);
        float[] scaled = scaler.Transform(series);
        if (method == SeriesScaling.MinMax)
        {
            Assert.Equal(0f, scaled[0]);
            Assert.Equal(1f, scaled[6]);
        }
        else
        {
            double mean = 0, sq = 0;
            foreach (float v in scaled) mean += v / scaled.Length;
            foreach (float v in scaled) sq += (v - mean) * (v - mean) / scaled.Length;
            Assert.True(Math.Abs(mean) < 1e-6 && Math.Abs(sq - 1) < 1e-5);
        }
        float[] back = scaler.Inverse(scaled);
        for (int i = 0; i < series.Length; i++) Assert.True(Math.Abs(back[i] - series[i]) < 1e-4);
        Assert.Equal(1.0, SeriesScaler.Fit([5f, 5f], method).Scale);
        Assert.Throws<ArgumentException>(() => SeriesScaler.Fit([], method));
        Assert.Contains("Value 1", Assert.Throws<ArgumentException>(() => SeriesScaler.Fit([1f, float.PositiveInfinity], method)).Message);
    }

    [Fact]
    public void Loaders_read_the_sequence_data()
    {
        var sms = SequenceDatasets.LoadSmsSpam(DataFile("sms_spam", "SMSSpamCollection"));
        Assert.Equal(5574, sms.Texts.Length);
        Assert.Equal(747, Array.FindAll(sms.Labels, l => l == 1).Length);
        Assert.StartsWith("Go until jurong point", sms.Texts[0]);

        var airline = SequenceDatasets.LoadSeriesCsv(DataFile("airline-passengers.csv"));
        Assert.Equal(144, airline.Values.Length);
        Assert.Equal("1949-01", airline.Dates[0]);
        Assert.Equal(112f, airline.Values[0]);
        Assert.Equal(432f, airline.Values[^1]);
        double sum = 0; foreach (float v in airline.Values) sum += v;
        Assert.Equal(40363, sum);

        var temperatures = SequenceDatasets.LoadSeriesCsv(DataFile("daily-min-temperatures.csv"));
        Assert.Equal(3650, temperatures.Values.Length);
        Assert.Equal(20.7f, temperatures.Values[0]);

        string[] names = SequenceDatasets.LoadLines(DataFile("names", "names.txt"));
        Assert.Equal(32033, names.Length);
        Assert.Equal("emma", names[0]);

        string bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, "ham\tfine\nmaybe\tnot\n");
            Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => SequenceDatasets.LoadSmsSpam(bad)).Message);
            File.WriteAllText(bad, "\"Month\",\"Passengers\"\n1949-01,112\n1949-02,abc\n");
            Assert.Contains("line 3", Assert.Throws<InvalidDataException>(() => SequenceDatasets.LoadSeriesCsv(bad)).Message);
        }
        finally { File.Delete(bad); }
    }
}
