using System.ComponentModel;
using System.Linq;
using System.Reflection;
using Xunit;

namespace NetGen.Tests;

/// <summary>The numeric kernels stay out of users' IntelliSense: <c>Dense</c> the kernel must not sit beside <c>[Dense]</c> the attribute.</summary>
public class NumericsVisibilityTests
{
    [Fact]
    public void EveryPublicKernelTypeIsHiddenFromIntelliSense()
    {
        var types = typeof(INetwork).Assembly.GetExportedTypes().Where(t => t.Namespace == "NetGen.Numerics" && !t.IsNested).ToList();
        Assert.Contains(types, t => t.Name == "Dense");
        var visible = types.Where(t => t.GetCustomAttribute<EditorBrowsableAttribute>()?.State != EditorBrowsableState.Never).Select(t => t.Name).ToList();
        Assert.True(visible.Count == 0, "visible in IntelliSense: " + string.Join(", ", visible));
    }
}

/// <summary>The initialisers the layer kinds' <c>InitRule</c>s name.</summary>
public class InitializerTests
{
    [Fact]
    public void NormalHasItsMeanAndDeviationAndIsSeeded()
    {
        var a = new double[20001];
        var rng = NetGen.Numerics.SplitMix64.FromSeed(3);
        NetGen.Numerics.Initializers.Normal<double>(a, 0.5, 2.0, ref rng);
        double mean = a.Average(), deviation = System.Math.Sqrt(a.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 0.45, 0.55);
        Assert.InRange(deviation, 1.95, 2.05);
        var b = new double[a.Length];
        rng = NetGen.Numerics.SplitMix64.FromSeed(3);
        NetGen.Numerics.Initializers.Normal<double>(b, 0.5, 2.0, ref rng);
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(double.IsFinite(v)));
    }
}
