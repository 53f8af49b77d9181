using System.Globalization;
using System.Net;
using System.Text;

namespace SpatialAudio.Spatial.Design.Report;

/// <summary>A named curve for <see cref="Svg.LinePlot"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates (non-finite values break the line).</param>
public sealed record Series(string Name, double[] X, double[] Y);

/// <summary>Minimal self-contained SVG charts (no scripts, no external references) for the design report.</summary>
public static class Svg
{
    private const int Width = 640, Height = 300, Left = 56, Right = 150, Top = 28, Bottom = 40;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"];

    /// <summary>A line plot; <paramref name="logX"/> for frequency axes.</summary>
    public static string LinePlot(string title, IReadOnlyList<Series> series, string xLabel, string yLabel, bool logX, double yMin, double yMax)
    {
        ArgumentNullException.ThrowIfNull(series);
        var all = series.SelectMany(s => s.X).Where(v => double.IsFinite(v) && (!logX || v > 0)).ToArray();
        var xMin = all.Length > 0 ? all.Min() : 1;
        var xMax = all.Length > 0 ? all.Max() : 10;
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        double Px(double x) => Left + ((logX ? Math.Log10(x / xMin) / Math.Log10(xMax / xMin) : (x - xMin) / (xMax - xMin)) * (Width - Left - Right));
        double Py(double y) => Top + ((1 - ((Math.Clamp(y, yMin, yMax) - yMin) / (yMax - yMin))) * (Height - Top - Bottom));

        var sb = Begin(title);
        // Grid and ticks.
        foreach (var y in Ticks(yMin, yMax))
        {
            sb.Append(I($"<line x1='{Left}' x2='{Width - Right}' y1='{Py(y):0.#}' y2='{Py(y):0.#}' stroke='#ddd'/>"));
            sb.Append(I($"<text x='{Left - 4}' y='{Py(y) + 4:0.#}' text-anchor='end' font-size='10'>{y:0.##}</text>"));
        }

        foreach (var x in logX ? LogTicks(xMin, xMax) : Ticks(xMin, xMax))
        {
            sb.Append(I($"<line y1='{Top}' y2='{Height - Bottom}' x1='{Px(x):0.#}' x2='{Px(x):0.#}' stroke='#eee'/>"));
            sb.Append(I($"<text x='{Px(x):0.#}' y='{Height - Bottom + 14}' text-anchor='middle' font-size='10'>{FormatTick(x)}</text>"));
        }

        sb.Append(I($"<text x='{(Left + Width - Right) / 2}' y='{Height - 6}' text-anchor='middle' font-size='11'>{Esc(xLabel)}</text>"));
        sb.Append(I($"<text x='12' y='{(Top + Height - Bottom) / 2}' text-anchor='middle' font-size='11' transform='rotate(-90 12 {(Top + Height - Bottom) / 2})'>{Esc(yLabel)}</text>"));
        for (var s = 0; s < series.Count; s++)
        {
            var color = Colors[s % Colors.Length];
            var path = new StringBuilder();
            var pen = false;
            for (var i = 0; i < series[s].X.Length; i++)
            {
                var x = series[s].X[i];
                var y = series[s].Y[i];
                if (!double.IsFinite(y) || !double.IsFinite(x) || (logX && x <= 0))
                {
                    pen = false;
                    continue;
                }

                path.Append(I($"{(pen ? 'L' : 'M')}{Px(x):0.#},{Py(y):0.#} "));
                pen = true;
            }

            sb.Append(I($"<path d='{path}' fill='none' stroke='{color}' stroke-width='1.4'/>"));
            sb.Append(I($"<line x1='{Width - Right + 8}' x2='{Width - Right + 24}' y1='{Top + 8 + (s * 15)}' y2='{Top + 8 + (s * 15)}' stroke='{color}' stroke-width='2'/>"));
            sb.Append(I($"<text x='{Width - Right + 28}' y='{Top + 12 + (s * 15)}' font-size='10'>{Esc(series[s].Name)}</text>"));
        }

        sb.Append(I($"<rect x='{Left}' y='{Top}' width='{Width - Left - Right}' height='{Height - Top - Bottom}' fill='none' stroke='#888'/>"));
        return End(sb);
    }

    /// <summary>A heat map of <paramref name="values"/>[row][column] over <paramref name="columns"/> x <paramref name="rows"/>.</summary>
    public static string Heatmap(string title, double[] columns, double[] rows, double[][] values, string xLabel, string yLabel, double vMin, double vMax, string unit, bool logX = false)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(values);
        var sb = Begin(title);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var cw = (double)plotW / columns.Length;
        var rh = (double)plotH / rows.Length;
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var t = Math.Clamp((values[r][c] - vMin) / (vMax - vMin), 0, 1);
                sb.Append(I($"<rect x='{Left + (c * cw):0.##}' y='{Top + ((rows.Length - 1 - r) * rh):0.##}' width='{cw + 0.6:0.##}' height='{rh + 0.6:0.##}' fill='{Colormap(double.IsFinite(values[r][c]) ? t : 0)}'/>"));
            }
        }

        var xTickEvery = Math.Max(1, columns.Length / 8);
        for (var c = 0; c < columns.Length; c += xTickEvery)
        {
            sb.Append(I($"<text x='{Left + ((c + 0.5) * cw):0.#}' y='{Height - Bottom + 14}' text-anchor='middle' font-size='10'>{FormatTick(columns[c])}</text>"));
        }

        var yTickEvery = Math.Max(1, rows.Length / 8);
        for (var r = 0; r < rows.Length; r += yTickEvery)
        {
            sb.Append(I($"<text x='{Left - 4}' y='{Top + ((rows.Length - 1 - r + 0.5) * rh) + 4:0.#}' text-anchor='end' font-size='10'>{FormatTick(rows[r])}</text>"));
        }

        for (var i = 0; i <= 10; i++)
        {
            var v = vMin + ((vMax - vMin) * i / 10);
            sb.Append(I($"<rect x='{Width - Right + 12}' y='{Top + ((10 - i) * plotH / 11.0):0.#}' width='14' height='{(plotH / 11.0) + 0.5:0.#}' fill='{Colormap(i / 10.0)}'/>"));
            sb.Append(I($"<text x='{Width - Right + 30}' y='{Top + ((10 - i) * plotH / 11.0) + 10:0.#}' font-size='9'>{v:0.#} {Esc(unit)}</text>"));
        }

        _ = logX;
        sb.Append(I($"<text x='{(Left + Width - Right) / 2}' y='{Height - 6}' text-anchor='middle' font-size='11'>{Esc(xLabel)}</text>"));
        sb.Append(I($"<text x='12' y='{(Top + Height - Bottom) / 2}' text-anchor='middle' font-size='11' transform='rotate(-90 12 {(Top + Height - Bottom) / 2})'>{Esc(yLabel)}</text>"));
        return End(sb);
    }

    /// <summary>A polar plot of levels (dB, 0 at the rim, <paramref name="rangeDb"/> at the centre) over azimuth.</summary>
    public static string Polar(string title, double[] azimuthsDeg, IReadOnlyList<Series> levelsDb, double rangeDb = 40)
    {
        ArgumentNullException.ThrowIfNull(azimuthsDeg);
        ArgumentNullException.ThrowIfNull(levelsDb);
        const int size = 300;
        const double cx = 150, cy = 160, radius = 120;
        var sb = new StringBuilder();
        sb.Append(I($"<svg width='{size + 140}' height='{size}' font-family='sans-serif'>"));
        sb.Append(I($"<text x='4' y='16' font-size='12' font-weight='bold'>{Esc(title)}</text>"));
        for (var ring = 0; ring <= 4; ring++)
        {
            var r = radius * (1 - (ring * 10.0 / rangeDb));
            if (r <= 0)
            {
                continue;
            }

            sb.Append(I($"<circle cx='{cx}' cy='{cy}' r='{r:0.#}' fill='none' stroke='#ddd'/><text x='{cx + 2}' y='{cy - r + 10:0.#}' font-size='8'>-{ring * 10}</text>"));
        }

        foreach (var a in new[] { 0, 45, 90, 135, 180, 225, 270, 315 })
        {
            var (x, y) = Point(a, radius);
            sb.Append(I($"<line x1='{cx}' y1='{cy}' x2='{cx + x:0.#}' y2='{cy + y:0.#}' stroke='#eee'/>"));
            var (lx, ly) = Point(a, radius + 12);
            sb.Append(I($"<text x='{cx + lx:0.#}' y='{cy + ly + 3:0.#}' text-anchor='middle' font-size='9'>{(a > 180 ? a - 360 : a)}</text>"));
        }

        for (var s = 0; s < levelsDb.Count; s++)
        {
            var path = new StringBuilder();
            for (var i = 0; i < azimuthsDeg.Length; i++)
            {
                var r = radius * Math.Clamp(1 + (levelsDb[s].Y[i] / rangeDb), 0, 1);
                var (x, y) = Point(azimuthsDeg[i], r);
                path.Append(I($"{(i == 0 ? 'M' : 'L')}{cx + x:0.#},{cy + y:0.#} "));
            }

            var color = Colors[s % Colors.Length];
            sb.Append(I($"<path d='{path}Z' fill='none' stroke='{color}' stroke-width='1.4'/>"));
            sb.Append(I($"<line x1='{size + 4}' x2='{size + 20}' y1='{40 + (s * 15)}' y2='{40 + (s * 15)}' stroke='{color}' stroke-width='2'/><text x='{size + 24}' y='{44 + (s * 15)}' font-size='10'>{Esc(levelsDb[s].Name)}</text>"));
        }

        sb.Append("</svg>");
        return sb.ToString();

        // Azimuth 0 (device axis) points up; +90 (device's left) to the left, as seen from above.
        static (double X, double Y) Point(double azimuthDeg, double r) =>
            (-r * Math.Sin(azimuthDeg * Math.PI / 180), -r * Math.Cos(azimuthDeg * Math.PI / 180));
    }

    /// <summary>HTML-escapes text.</summary>
    public static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Begin(string title)
    {
        var sb = new StringBuilder();
        sb.Append(I($"<svg width='{Width}' height='{Height}' font-family='sans-serif'>"));
        sb.Append(I($"<text x='{Left}' y='16' font-size='12' font-weight='bold'>{Esc(title)}</text>"));
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<double> Ticks(double min, double max)
    {
        var span = max - min;
        var step = Math.Pow(10, Math.Floor(Math.Log10(span / 5)));
        foreach (var m in new[] { 1.0, 2, 5, 10 })
        {
            if (span / (step * m) <= 8)
            {
                step *= m;
                break;
            }
        }

        for (var v = Math.Ceiling(min / step) * step; v <= max + 1e-9; v += step)
        {
            yield return v;
        }
    }

    private static IEnumerable<double> LogTicks(double min, double max)
    {
        for (var decade = Math.Pow(10, Math.Floor(Math.Log10(min))); decade <= max; decade *= 10)
        {
            foreach (var m in new[] { 1.0, 2, 5 })
            {
                var v = decade * m;
                if (v >= min && v <= max)
                {
                    yield return v;
                }
            }
        }
    }

    private static string FormatTick(double v) =>
        Math.Abs(v) >= 1000 ? (v / 1000).ToString("0.##", CultureInfo.InvariantCulture) + "k" : v.ToString("0.##", CultureInfo.InvariantCulture);

    // Perceptually ordered dark-blue -> yellow ramp.
    private static string Colormap(double t)
    {
        var r = (int)(255 * Math.Clamp((1.6 * t) - 0.4, 0, 1));
        var g = (int)(255 * Math.Clamp(0.15 + (0.8 * t), 0, 1));
        var b = (int)(255 * Math.Clamp(0.55 + (0.6 * t) - (1.1 * t * t), 0, 1));
        return string.Create(CultureInfo.InvariantCulture, $"rgb({r},{g},{b})");
    }
}
