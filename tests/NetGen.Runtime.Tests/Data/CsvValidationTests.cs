using System.IO;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

/// <summary>Issue 17 items 4 and 9: NaN cells, another separator, and empty files get errors that say what to do.</summary>
public class CsvValidationTests
{
    private readonly string _dir = TestFiles.NewTempDirectory();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("-Infinity")]
    public void ANonFiniteCellIsRejectedWithItsLineAndColumn(string cell)
    {
        string path = Write("nan.csv", $"a,b,label\n1,2,0\n3,{cell},1\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(path));
        Assert.Contains("line 3, column 2", e.Message);
        Assert.Contains("AllowNonFinite", e.Message);
        Assert.Throws<InvalidDataException>(() => CsvLoader.ReadTable(path));
    }

    [Fact]
    public void NonFiniteCellsAreKeptWhenAllowed()
    {
        string path = Write("nan.csv", "1,2,0\n3,nan,1\n");
        Dataset data = CsvLoader.Load(path, new CsvOptions { AllowNonFinite = true });
        Assert.True(float.IsNaN(data.Features[3]));
    }

    [Fact]
    public void SemicolonSeparatedCellsSuggestTheDelimiter()
    {
        string path = Write("semi.csv", "a;b;label\n1;2;0\n3;4;1\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(path));
        Assert.Contains("CsvOptions.Delimiter = ';'", e.Message);
        Dataset data = CsvLoader.Load(path, new CsvOptions { Delimiter = ';' });
        Assert.Equal((2, 2), (data.Count, data.FeatureCount));
    }

    [Theory]
    [InlineData("", "no data rows; it is empty")]
    [InlineData("\n\n", "no data rows; it is empty")]
    [InlineData("a,b,label\n", "no data rows after its header")]
    public void AnEmptyFileSaysItIsEmpty(string text, string expected)
    {
        string path = Write("empty.csv", text);
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(path));
        Assert.Contains(expected, e.Message);
    }
}
