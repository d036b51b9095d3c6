using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Serialization;

/// <summary>
/// Saves and loads a network's parameters in the safetensors format, named and shaped as its
/// <see cref="INetworkState{T}.ParameterTensors"/> (<c>layers.0.weight</c> [128, 784], ...), so PyTorch's
/// <c>safetensors.torch.load_file</c> reads them into an <c>nn.Module</c> unchanged. A checkpoint adds the
/// optimizer state as tensors <c>optimizer.slot{k}.{name}</c> and the step, learning rate and random state in
/// <c>__metadata__</c>, so training resumes bit for bit. Saving is atomic; loading validates the whole file and
/// the network's needs before changing anything.
/// </summary>
public static class SafeTensors
{
    /// <summary>Metadata key of the optimizer step count in a checkpoint.</summary>
    public const string OptimizerStepKey = "netgen.optimizer_step";
    /// <summary>Metadata key of the learning rate in a checkpoint (round-trip decimal).</summary>
    public const string LearningRateKey = "netgen.learning_rate";
    /// <summary>Metadata key of the dropout generator's state in a checkpoint.</summary>
    public const string RandomStateKey = "netgen.random_state";
    /// <summary>Metadata key of the number of optimizer state blocks in a checkpoint.</summary>
    public const string OptimizerSlotsKey = "netgen.optimizer_slots";

    /// <summary>The name of optimizer state block <paramref name="slot"/> for a parameter tensor: <c>optimizer.slot0.layers.0.weight</c>.</summary>
    public static string OptimizerTensorName(int slot, string parameterName) =>
        string.Create(CultureInfo.InvariantCulture, $"optimizer.slot{slot}.{parameterName}");

    /// <summary>Saves a float network's parameters; see <see cref="Save{TNetwork, T}"/>.</summary>
    public static void Save<TNetwork>(TNetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null) where TNetwork : INetworkState<float>
        => Save<TNetwork, float>(network, path, metadata);

    /// <summary>Saves a double network's parameters (F64 tensors); see <see cref="Save{TNetwork, T}"/>. Lets the call compile without type arguments.</summary>
    public static void Save(INetworkState<double> network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        => Save<INetworkState<double>, double>(network, path, metadata);

    /// <summary>Saves the parameters, one tensor per <see cref="INetworkState{T}.ParameterTensors"/> entry, atomically (a crash mid-save leaves the old file intact).</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The file to write (conventionally <c>*.safetensors</c>).</param>
    /// <param name="metadata">Extra <c>__metadata__</c> strings; <c>format</c> defaults to <c>pt</c>.</param>
    public static void Save<TNetwork, T>(TNetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        where TNetwork : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
        => Write<TNetwork, T>(network, path, metadata, checkpoint: false);

    /// <summary>Saves a float network's parameters and optimizer state; see <see cref="SaveCheckpoint{TNetwork, T}"/>.</summary>
    public static void SaveCheckpoint<TNetwork>(TNetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null) where TNetwork : INetworkState<float>
        => SaveCheckpoint<TNetwork, float>(network, path, metadata);

    /// <summary>Saves a double network's checkpoint; see <see cref="SaveCheckpoint{TNetwork, T}"/>.</summary>
    public static void SaveCheckpoint(INetworkState<double> network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        => SaveCheckpoint<INetworkState<double>, double>(network, path, metadata);

    /// <summary>
    /// Saves what resuming training needs: the parameters, each optimizer state block as tensors
    /// <c>optimizer.slot{k}.{name}</c>, and the step, learning rate, random state and slot count in
    /// <c>__metadata__</c>. Atomic, as <see cref="Save{TNetwork, T}"/>.
    /// </summary>
    public static void SaveCheckpoint<TNetwork, T>(TNetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        where TNetwork : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
        => Write<TNetwork, T>(network, path, metadata, checkpoint: true);

    /// <summary>Loads a float network's parameters; see <see cref="Load{TNetwork, T}"/>.</summary>
    public static void Load<TNetwork>(TNetwork network, string path) where TNetwork : INetworkState<float> => Load<TNetwork, float>(network, path);

    /// <summary>Loads a double network's parameters (F64 tensors); see <see cref="Load{TNetwork, T}"/>.</summary>
    public static void Load(INetworkState<double> network, string path) => Load<INetworkState<double>, double>(network, path);

    /// <summary>
    /// Loads the parameters: the file is validated completely, every tensor the network needs must be there with
    /// its shape and dtype (other tensors are ignored), and only then are the parameters replaced.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, or does not fit the network; the message names the tensor. The network is unchanged.</exception>
    public static void Load<TNetwork, T>(TNetwork network, string path)
        where TNetwork : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        SafeTensorsFile file = SafeTensorsFile.Read(path);
        T[] parameters = ReadParameters<TNetwork, T>(network, file, path, slot: -1);
        parameters.CopyTo(network.Parameters);
    }

    /// <summary>Loads a float network's checkpoint; see <see cref="LoadCheckpoint{TNetwork, T}"/>.</summary>
    public static void LoadCheckpoint<TNetwork>(TNetwork network, string path) where TNetwork : INetworkState<float> => LoadCheckpoint<TNetwork, float>(network, path);

    /// <summary>Loads a double network's checkpoint; see <see cref="LoadCheckpoint{TNetwork, T}"/>.</summary>
    public static void LoadCheckpoint(INetworkState<double> network, string path) => LoadCheckpoint<INetworkState<double>, double>(network, path);

    /// <summary>
    /// Loads a checkpoint written by <see cref="SaveCheckpoint{TNetwork, T}"/>: parameters, optimizer state, step,
    /// learning rate and random state, all validated before any is set.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, not a checkpoint of this network's optimizer, or does not fit the network. The network is unchanged.</exception>
    public static void LoadCheckpoint<TNetwork, T>(TNetwork network, string path)
        where TNetwork : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        SafeTensorsFile file = SafeTensorsFile.Read(path);
        T[] parameters = ReadParameters<TNetwork, T>(network, file, path, slot: -1);
        int slots = network.OptimizerStateSlots;
        long savedSlots = ParseMetadata<long>(file, path, OptimizerSlotsKey, long.TryParse);
        if (savedSlots != slots)
            throw new InvalidDataException($"{path}: the checkpoint holds {savedSlots} optimizer state blocks; this network's optimizer uses {slots}.");
        var state = new T[slots * network.ParameterCount];
        for (int k = 0; k < slots; k++)
            ReadParameters<TNetwork, T>(network, file, path, k).CopyTo(state.AsSpan(k * network.ParameterCount));
        long step = ParseMetadata<long>(file, path, OptimizerStepKey, long.TryParse);
        double learningRate = ParseMetadata<double>(file, path, LearningRateKey, double.TryParse);
        ulong randomState = ParseMetadata<ulong>(file, path, RandomStateKey, ulong.TryParse);

        // Everything is valid: commit.
        parameters.CopyTo(network.Parameters);
        state.CopyTo(network.OptimizerState);
        network.OptimizerStep = step;
        network.LearningRate = learningRate;
        network.RandomState = randomState;
    }

    private static void Write<TNetwork, T>(TNetwork network, string path, IReadOnlyDictionary<string, string>? extra, bool checkpoint)
        where TNetwork : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        string dtype = SafeTensorsWriter.DTypeOf<T>(); // fail before touching the disk
        var tensors = new List<TensorSlice>();
        foreach (ParameterTensor p in network.ParameterTensors) tensors.Add(new TensorSlice(p.Name, p.Shape, 0, p.Offset, p.Length));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        if (extra is not null) foreach (KeyValuePair<string, string> kv in extra) metadata[kv.Key] = kv.Value;
        if (checkpoint)
        {
            for (int k = 0; k < network.OptimizerStateSlots; k++)
                foreach (ParameterTensor p in network.ParameterTensors)
                    tensors.Add(new TensorSlice(OptimizerTensorName(k, p.Name), p.Shape, 1, k * network.ParameterCount + p.Offset, p.Length));
            metadata[OptimizerSlotsKey] = network.OptimizerStateSlots.ToString(CultureInfo.InvariantCulture);
            metadata[OptimizerStepKey] = network.OptimizerStep.ToString(CultureInfo.InvariantCulture);
            metadata[LearningRateKey] = network.LearningRate.ToString("R", CultureInfo.InvariantCulture);
            metadata[RandomStateKey] = network.RandomState.ToString(CultureInfo.InvariantCulture);
        }
        AtomicFile.Write(path, stream => SafeTensorsWriter.Write<T>(stream, tensors, network.Parameters, network.OptimizerState, metadata));
    }

    /// <summary>The parameters (slot −1) or one optimizer block, gathered from the file into a new array.</summary>
    private static T[] ReadParameters<TNetwork, T>(TNetwork network, SafeTensorsFile file, string path, int slot)
        where TNetwork : INetworkState<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        string dtype = SafeTensorsWriter.DTypeOf<T>();
        var values = new T[network.ParameterCount];
        foreach (ParameterTensor p in network.ParameterTensors)
        {
            string name = slot < 0 ? p.Name : OptimizerTensorName(slot, p.Name);
            if (!file.Tensors.TryGetValue(name, out SafeTensorInfo? tensor))
                throw new InvalidDataException($"{path}: tensor '{name}' is missing; the network needs {dtype} [{string.Join(", ", p.Shape)}]. "
                    + MissingTensorAdvice.Explain(name, p.Shape, network.ParameterTensors, file, slot < 0 ? "" : OptimizerTensorName(slot, "")));
            if (tensor.DType != dtype)
                throw new InvalidDataException($"{path}: tensor '{name}' is {tensor.DType}; the network needs {dtype}.");
            if (!tensor.HasShape(p.Shape))
                throw new InvalidDataException($"{path}: tensor '{name}' has shape {tensor.ShapeText}; the network needs [{string.Join(", ", p.Shape)}].");
            Span<byte> target = MemoryMarshal.AsBytes(values.AsSpan(p.Offset, p.Length));
            file.Data(tensor).CopyTo(target);
            if (!BitConverter.IsLittleEndian) SafeTensorsWriter.SwapEndianness(target, Unsafe.SizeOf<T>());
        }
        return values;
    }

    private delegate bool TryParse<TValue>(string? text, NumberStyles style, IFormatProvider? provider, out TValue value);

    private static TValue ParseMetadata<TValue>(SafeTensorsFile file, string path, string key, TryParse<TValue> parse)
    {
        if (!file.Metadata.TryGetValue(key, out string? text))
            throw new InvalidDataException($"{path}: '__metadata__' has no '{key}'; this is not a checkpoint saved by SaveCheckpoint.");
        NumberStyles style = typeof(TValue) == typeof(double) ? NumberStyles.Float : NumberStyles.Integer;
        if (!parse(text, style, CultureInfo.InvariantCulture, out TValue value))
            throw new InvalidDataException($"{path}: '__metadata__' entry '{key}' is '{text}', not a number.");
        return value;
    }
}
