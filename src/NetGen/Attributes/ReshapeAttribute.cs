using System;

namespace NetGen;

/// <summary>
/// Reads a vector of channels·height·width values as a [channels, height, width] image (no data moves:
/// NCHW is row-major per sample), so a Dense layer can feed convolutions — a generator's first step.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReshapeAttribute : LayerAttribute
{
    /// <summary>The image the input is read as.</summary>
    public ReshapeAttribute(int channels, int height, int width) { Channels = channels; Height = height; Width = width; }
    /// <summary>Channels of the image.</summary>
    public int Channels { get; }
    /// <summary>Rows of the image.</summary>
    public int Height { get; }
    /// <summary>Columns of the image.</summary>
    public int Width { get; }
}
