using System;
using System.Collections.Generic;
using System.IO;
using NetGen.Onnx;
using NetGen.Onnx.Import;

namespace NetGen.Import;

/// <summary>
/// <c>netgen import model.onnx --class Name [--namespace N] [--out dir] [--embed]</c>: reads an ONNX model of supported
/// operators and writes <c>Name.cs</c> (the attribute declaration) and <c>Name.safetensors</c> (PyTorch's names and layouts).
/// Exit codes: 0 done, 1 the model cannot be imported (the message names the node and its operator), 2 usage.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: netgen import <model.onnx> --class <Name> [--namespace <N>] [--out <dir>] [--embed]\n" +
        "  writes <dir>/<Name>.cs (the [Network] declaration) and <dir>/<Name>.safetensors (the weights, PyTorch's names)\n" +
        "  --embed  declares [Network(Weights = \"<Name>.safetensors\")]: the weights compiled in (list the file as AdditionalFiles)";

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command with its output and errors written to the given writers; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            output.WriteLine(Usage);
            return args.Count == 0 ? 2 : 0;
        }
        if (args[0] != "import")
        {
            error.WriteLine($"netgen: unknown command '{args[0]}'\n{Usage}");
            return 2;
        }

        // Arguments: the model path, then --class, --namespace, --out, --embed in any order.
        string? model = null, className = null, ns = null, outDir = ".";
        bool embed = false;
        for (int i = 1; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value");
            try
            {
                switch (a)
                {
                    case "--class": className = Value(); break;
                    case "--namespace": ns = Value(); break;
                    case "--out": outDir = Value(); break;
                    case "--embed": embed = true; break;
                    default:
                        if (a.StartsWith('-') || model is not null) throw new ArgumentException($"unexpected argument '{a}'");
                        model = a;
                        break;
                }
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"netgen import: {e.Message}\n{Usage}");
                return 2;
            }
        }
        if (model is null || className is null)
        {
            error.WriteLine($"netgen import: {(model is null ? "the model file" : "--class")} is required\n{Usage}");
            return 2;
        }
        if (!File.Exists(model))
        {
            error.WriteLine($"netgen import: '{model}' does not exist");
            return 1;
        }

        try
        {
            ImportedNetwork network = OnnxImporter.Import(model, className, ns);
            (string declaration, string weights) = network.Save(outDir, embed);
            output.WriteLine($"{network.Attributes}");
            output.WriteLine($"wrote {declaration}");
            output.WriteLine($"wrote {weights} ({network.Tensors.Count} tensors)");
            return 0;
        }
        catch (OnnxImportException e)
        {
            error.WriteLine($"netgen import: {model}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or NotSupportedException or ArgumentException)
        {
            error.WriteLine($"netgen import: {model}: {e.Message}");
            return 1;
        }
    }
}
