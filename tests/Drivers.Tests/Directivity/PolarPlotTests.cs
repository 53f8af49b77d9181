using System.Xml.Linq;
using SpatialAudio.Drivers.Devices;
using SpatialAudio.Drivers.Directivity;

namespace SpatialAudio.Drivers.Tests.Directivity;

public sealed class PolarPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Svg_IsWellFormedWithOneCurvePerFrequency()
    {
        var model = new PistonDriverModel(DriverRole.Mid, 0.05, 0.175);
        var text = PolarPlot.SvgBothPlanes(model, [200, 2000, 20000], "mid");
        var document = XDocument.Parse(text);
        var curves = document.Descendants(Svg + "path").ToList();
        Assert.Equal(6, curves.Count);
        Assert.Equal(text, PolarPlot.SvgBothPlanes(model, [200, 2000, 20000], "mid"));
    }

    [Fact]
    public void HorizontalCurve_ReachesTheOuterRingOnAxisAndShrinksBehindAtHighFrequency()
    {
        // Page geometry: center (210, 235), 0 dB radius 180; horizontal plane: on-axis up, 180 degrees down.
        var model = new PistonDriverModel(DriverRole.Mid, 0.05, 0.175);
        var text = PolarPlot.Svg(model, [20000], PolarPlane.Horizontal, "mid");
        var path = XDocument.Parse(text).Descendants(Svg + "path").Single().Attribute("d")!.Value;
        var points = path.Split(' ').Select(p => p[1..].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var radii = points.Select(p => Math.Sqrt(Math.Pow(p[0] - 210, 2) + Math.Pow(p[1] - 235, 2))).ToArray();
        var onAxis = radii[radii.Length / 2];
        var rear = radii[0];
        Assert.Equal(180, onAxis, 0.5);
        Assert.True(rear < 60, $"rear radius {rear}");
        Assert.True(points[radii.Length / 2][1] < 235);
    }
}
