using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// Rows <see cref="Start"/> .. <see cref="Start"/> + <see cref="Count"/> − 1 of a dataset, without copying them: how
/// <see cref="Trainer"/> holds out a validation split. Row numbers stay those of <see cref="Data"/>, so a bad
/// training row is named by its index in the caller's dataset.
/// </summary>
internal readonly record struct DatasetRange(Dataset Data, int Start, int Count)
{
    /// <summary>The whole dataset.</summary>
    public static DatasetRange All(Dataset data) => new(data, 0, data.Count);
}
