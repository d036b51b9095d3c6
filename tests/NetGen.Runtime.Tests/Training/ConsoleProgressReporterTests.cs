using System.IO;
using NetGen.Runtime.Tests.Support;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

public class ConsoleProgressReporterTests
{
    private static string Run(bool inPlace)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var net = new LinearModel<float>(4, 3, LinearHead.SoftmaxCrossEntropy);
        Trainer.Fit(net, TrainerTests.StandardizedIris(), new TrainingOptions
        {
            Epochs = 2, BatchSize = 30, ValidationSplit = 0.2, Metrics = [TrainingMetric.Accuracy],
            Progress = new ConsoleProgressReporter(writer, inPlace) { RedrawInterval = System.TimeSpan.Zero },
        });
        return writer.ToString();
    }

    [Fact]
    public void RedirectedOutputPrintsKerasLinesOnePerEpoch()
    {
        string[] lines = Run(inPlace: false).TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Equal("Epoch 2/2", lines[2]);
        Assert.Matches(@"^4/4 \[={30}\] - \d+s \d+(us|ms|s)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$", lines[1]);
        Assert.DoesNotContain("\r", lines[1]);
    }

    [Fact]
    public void TerminalOutputRedrawsTheLineInPlace()
    {
        string output = Run(inPlace: true);
        Assert.Contains("\r1/4 [======>.......................] - ETA: ", output);
        Assert.Matches(@"\r4/4 \[={30}\] - \d+s \d+(us|ms|s)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss", output);
        Assert.StartsWith("Epoch 1/2\n", output);
    }

    [Theory]
    [InlineData(2.4, "2s/step")]
    [InlineData(0.0123, "12ms/step")]
    [InlineData(0.000850, "850us/step")]
    public void TimePerStepUsesKerasUnits(double seconds, string expected) =>
        Assert.Equal(expected, ConsoleProgressReporter.FormatPerStep(seconds));
}
