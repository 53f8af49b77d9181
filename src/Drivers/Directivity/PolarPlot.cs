using System.Globalization;
using System.Numerics;
using System.Text;

namespace SpatialAudio.Drivers.Directivity;

/// <summary>The plane a polar plot shows.</summary>
public enum PolarPlane
{
    /// <summary>Elevation 0, seen from above: the driver axis points up the page, azimuth +90 (the driver's left) to the left.</summary>
    Horizontal,

    /// <summary>Azimuth 0 and 180, seen from the driver's right side: the axis points right, elevation +90 up the page.</summary>
    Vertical,
}

/// <summary>Writes polar directivity plots as SVG text.</summary>
/// <remarks>Each frequency's curve is normalized to its own maximum over the plane (0 dB = outer ring), rings every
/// 10 dB down to -<c>rangeDb</c>, spokes every 30 degrees. Output is deterministic (invariant culture, fixed precision).</remarks>
public static class PolarPlot
{
    private static readonly string[] Colors = ["#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>One plane of one driver as a standalone SVG document.</summary>
    /// <param name="directivity">The driver.</param>
    /// <param name="frequenciesHz">Curves to draw, each within the driver's valid range (at most 8).</param>
    /// <param name="plane">The plane.</param>
    /// <param name="title">Heading text.</param>
    /// <param name="rangeDb">Dynamic range of the plot, dB (10..80).</param>
    public static string Svg(IDirectivity directivity, IReadOnlyList<double> frequenciesHz, PolarPlane plane, string title, double rangeDb = 40)
    {
        var body = new StringBuilder();
        Panel(body, directivity, frequenciesHz, plane, title, rangeDb, 0);
        return Document(body.ToString(), 420, frequenciesHz);
    }

    /// <summary>Both planes side by side in one SVG document.</summary>
    /// <param name="directivity">The driver.</param>
    /// <param name="frequenciesHz">Curves to draw (at most 8).</param>
    /// <param name="title">Heading prefix.</param>
    /// <param name="rangeDb">Dynamic range of the plot, dB (10..80).</param>
    public static string SvgBothPlanes(IDirectivity directivity, IReadOnlyList<double> frequenciesHz, string title, double rangeDb = 40)
    {
        var body = new StringBuilder();
        Panel(body, directivity, frequenciesHz, PolarPlane.Horizontal, title + " horizontal (top view)", rangeDb, 0);
        Panel(body, directivity, frequenciesHz, PolarPlane.Vertical, title + " vertical (side view)", rangeDb, 420);
        return Document(body.ToString(), 840, frequenciesHz);
    }

    private static string Document(string body, int width, IReadOnlyList<double> frequenciesHz)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"470\" viewBox=\"0 0 {width} 470\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"470\" fill=\"white\"/>\n");
        sb.Append(body);
        for (var i = 0; i < frequenciesHz.Count; i++)
        {
            var x = 20 + (i * 95);
            var f = frequenciesHz[i];
            var label = f >= 1000 ? $"{(f / 1000).ToString("0.#", CultureInfo.InvariantCulture)} kHz" : $"{f.ToString("0", CultureInfo.InvariantCulture)} Hz";
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"455\" x2=\"{x + 20}\" y2=\"455\" stroke=\"{Colors[i]}\" stroke-width=\"2.5\"/><text x=\"{x + 25}\" y=\"459\">{label}</text>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Panel(StringBuilder sb, IDirectivity directivity, IReadOnlyList<double> frequenciesHz, PolarPlane plane, string title, double rangeDb, int offsetX)
    {
        ArgumentNullException.ThrowIfNull(directivity);
        ArgumentNullException.ThrowIfNull(frequenciesHz);
        if (frequenciesHz.Count is < 1 or > 8)
        {
            throw new ArgumentException("Draw 1..8 frequencies.", nameof(frequenciesHz));
        }

        if (!(rangeDb >= 10 && rangeDb <= 80))
        {
            throw new ArgumentOutOfRangeException(nameof(rangeDb), rangeDb, "Range must be 10..80 dB.");
        }

        const double cx = 210, cy = 235, radius = 180;
        var ox = offsetX + cx;
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{offsetX + 10}\" y=\"20\" font-size=\"12\" font-weight=\"bold\">{Escape(title)}</text>\n");
        for (var ring = 0; ring <= rangeDb; ring += 10)
        {
            var r = radius * (1 - (ring / rangeDb));
            sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{ox}\" cy=\"{cy}\" r=\"{F(r)}\" fill=\"none\" stroke=\"#bbb\" stroke-width=\"{(ring == 0 ? 1.2 : 0.6)}\"/>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(ox + 3)}\" y=\"{F(cy - r + 11)}\" fill=\"#777\" font-size=\"9\">{-ring} dB</text>\n");
        }

        for (var spoke = 0; spoke < 360; spoke += 30)
        {
            var (x, y) = ToPage(plane, spoke, radius);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{ox}\" y1=\"{cy}\" x2=\"{F(ox + x)}\" y2=\"{F(cy + y)}\" stroke=\"#ddd\" stroke-width=\"0.6\"/>\n");
            var (lx, ly) = ToPage(plane, spoke, radius + 12);
            var label = spoke > 180 ? spoke - 360 : spoke;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(ox + lx)}\" y=\"{F(cy + ly + 4)}\" text-anchor=\"middle\" fill=\"#555\" font-size=\"9\">{label}</text>\n");
        }

        const int steps = 180;
        var magnitudes = new double[steps + 1];
        var one = new Complex[1];
        for (var i = 0; i < frequenciesHz.Count; i++)
        {
            var frequency = new[] { Math.Min(frequenciesHz[i], directivity.MaxFrequencyHz) };
            var peak = 0.0;
            for (var s = 0; s <= steps; s++)
            {
                var angle = -180.0 + (s * 360.0 / steps);
                var (az, el) = Direction(plane, angle);
                directivity.Response(az, el, frequency, one);
                magnitudes[s] = one[0].Magnitude;
                peak = Math.Max(peak, magnitudes[s]);
            }

            var path = new StringBuilder();
            for (var s = 0; s <= steps; s++)
            {
                var angle = -180.0 + (s * 360.0 / steps);
                var db = 20 * Math.Log10(Math.Max(magnitudes[s] / peak, 1e-12));
                var r = radius * Math.Max(0, 1 + (db / rangeDb));
                var (x, y) = ToPage(plane, angle, r);
                path.Append(s == 0 ? 'M' : 'L').Append(F(ox + x)).Append(',').Append(F(cy + y)).Append(' ');
            }

            sb.Append(CultureInfo.InvariantCulture, $"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{Colors[i]}\" stroke-width=\"1.8\"/>\n");
        }
    }

    // Plane angle -> driver-frame direction. Vertical angle a: a = elevation in front, |a| > 90 wraps through the rear.
    private static (double AzimuthDeg, double ElevationDeg) Direction(PolarPlane plane, double angleDeg)
    {
        if (plane == PolarPlane.Horizontal)
        {
            return (angleDeg, 0);
        }

        return angleDeg switch
        {
            > 90 => (180, 180 - angleDeg),
            < -90 => (180, -180 - angleDeg),
            _ => (0, angleDeg),
        };
    }

    private static (double X, double Y) ToPage(PolarPlane plane, double angleDeg, double r)
    {
        var a = angleDeg * Math.PI / 180;
        return plane == PolarPlane.Horizontal
            ? (-r * Math.Sin(a), -r * Math.Cos(a))
            : (r * Math.Cos(a), -r * Math.Sin(a));
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
