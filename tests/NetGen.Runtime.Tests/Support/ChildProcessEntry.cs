using System;
using NetGen.Serialization;

namespace NetGen.Runtime.Tests.Support;

/// <summary>
/// The test assembly's entry point, used only when a test starts it as a child process
/// (<c>dotnet exec NetGen.Runtime.Tests.dll save-loop PATH</c>): it saves checkpoints of a 4 MB network to PATH
/// in a loop, every parameter of save k equal to k, printing "begin k" before and "saved k" after each save,
/// until it is killed.
/// </summary>
public static class ChildProcessEntry
{
    public static int Main(string[] args)
    {
        if (args is not ["save-loop", string path]) { Console.Error.WriteLine("usage: save-loop PATH"); return 2; }
        var net = new LinearModel<float>(1000, 1000, LinearHead.MeanSquaredError, momentum: true);
        for (int k = 1; ; k++)
        {
            net.Parameters.Fill(k);
            net.OptimizerState.Fill(-k);
            net.OptimizerStep = k;
            Console.Out.WriteLine($"begin {k}");
            Console.Out.Flush();
            SafeTensors.SaveCheckpoint(net, path);
            Console.Out.WriteLine($"saved {k}");
            Console.Out.Flush();
        }
    }
}
