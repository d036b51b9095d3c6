using System.IO;
using NetGen.Data;
using NetGen.Runtime.Tests.Support;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

public class CsvLoaderTests
{
    private static string Write(string text, string name = "data.csv")
    {
        string path = Path.Combine(TestFiles.NewTempDirectory(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ScikitLearnMetadataRowPaddedWithTrailingCommasGivesCountsAndClassNames()
    {
        Dataset d = CsvLoader.Load(Write("3,2,neg,pos,,,,\r\n1.5,2,0\r\n3,4,1\r\n5,6e-1,1\r\n"));
        Assert.Equal((3, 2, 1), (d.Count, d.FeatureCount, d.TargetCount));
        Assert.Equal(["neg", "pos"], d.ClassNames!);
        Assert.Equal([1.5f, 2f, 3f, 4f, 5f, 0.6f], d.Features);
        Assert.Equal([0f, 1f, 1f], d.Targets);
    }

    [Fact]
    public void MetadataRowThatDisagreesWithTheDataIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("4,2,a,b\n1,2,0\n3,4,1\n")));
        Assert.Contains("declares 4 samples × 2 features", e.Message);
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void ColumnNameHeaderIsSkippedAndTargetColumnCanBeChosen()
    {
        Dataset d = CsvLoader.Load(Write("\"y\",\"a\",\"b\"\n9,1,2\n8,3,4\n"), new CsvOptions { TargetColumn = 0 });
        Assert.Equal([1f, 2f, 3f, 4f], d.Features);
        Assert.Equal([9f, 8f], d.Targets);
    }

    [Fact]
    public void HeaderlessFileWithoutTargetsKeepsEveryColumn()
    {
        Dataset d = CsvLoader.Load(Write("1,2\n3,4\n"), new CsvOptions { TargetColumn = null });
        Assert.Equal((2, 2, 0), (d.Count, d.FeatureCount, d.TargetCount));
    }

    [Fact]
    public void WhitespaceSeparatedFilesAreDetected()
    {
        CsvLoader.CsvTable t = CsvLoader.ReadTable(Write("1 2\t 3\n4  5 6\n"));
        Assert.Equal((2, 3), (t.Rows, t.Columns));
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], t.Values);
    }

    [Fact]
    public void NonNumericCellIsRejectedWithFileLineAndColumn()
    {
        string path = Write("1,2,0\n3,x4,1\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 2, column 2: 'x4' is not a number", e.Message);
    }

    [Fact]
    public void EmptyCellIsRejected() =>
        Assert.Contains("line 2, column 2", Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("1,2,0\n3,,1\n"))).Message);

    [Fact]
    public void RowsOfDifferentLengthsAreRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvLoader.Load(Write("1,2,0\n3,4\n")));
        Assert.Contains("line 2 has 2 cells, but line 1 has 3", e.Message);
    }

    [Fact]
    public void FeatureAndTargetFilesWithDifferentRowCountsAreRejected()
    {
        string x = Write("1 2\n3 4\n", "x.csv"), y = Write("1\n", "y.csv");
        Assert.Contains("1 target rows for the 2 feature rows", Assert.Throws<InvalidDataException>(() => CsvLoader.LoadFeaturesAndTargets(x, y)).Message);
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        string path = Path.Combine(TestFiles.NewTempDirectory(), "bad.csv");
        File.WriteAllBytes(path, [(byte)'1', (byte)',', 0xFF, (byte)'\n']);
        Assert.Contains("not valid UTF-8", Assert.Throws<InvalidDataException>(() => CsvLoader.Load(path)).Message);
    }
}
