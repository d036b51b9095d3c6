using System;

namespace NetGen;

/// <summary>The mean over time of a sequence: [timeSteps, features] → [features] (Keras's <c>GlobalAveragePooling1D</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePooling1DAttribute : LayerAttribute
{
}
