using System.Globalization;
using System.Text;

namespace SpatialAudio.Spatial.Design.Report;

/// <summary>One figure of a report section; rendered by <see cref="ReportDocument.ToHtml"/>.</summary>
/// <param name="Title">Figure title.</param>
public abstract record ReportFigure(string Title)
{
    /// <summary>The figure as self-contained HTML (inline SVG or a table).</summary>
    public abstract string ToHtml();
}

/// <summary>Curves over a (log-)frequency or linear axis with a dB grid.</summary>
/// <param name="Title">Title.</param>
/// <param name="Series">Named curves.</param>
/// <param name="XLabel">Abscissa label with unit.</param>
/// <param name="YLabel">Ordinate label with unit.</param>
/// <param name="LogX">Logarithmic abscissa (frequency).</param>
/// <param name="YMin">Ordinate range, low end.</param>
/// <param name="YMax">Ordinate range, high end.</param>
public sealed record LineFigure(string Title, IReadOnlyList<Series> Series, string XLabel, string YLabel, bool LogX, double YMin, double YMax) : ReportFigure(Title)
{
    /// <inheritdoc/>
    public override string ToHtml() => Svg.LinePlot(Title, Series, XLabel, YLabel, LogX, YMin, YMax);
}

/// <summary>A heat map, values [row][column] (e.g. azimuth x frequency, or listener positions).</summary>
/// <param name="Title">Title.</param>
/// <param name="Columns">Column coordinates (abscissa).</param>
/// <param name="Rows">Row coordinates (ordinate).</param>
/// <param name="Values">Values [row][column].</param>
/// <param name="XLabel">Abscissa label.</param>
/// <param name="YLabel">Ordinate label.</param>
/// <param name="ValueMin">Colour scale low end.</param>
/// <param name="ValueMax">Colour scale high end.</param>
/// <param name="Unit">Unit of the values.</param>
public sealed record HeatmapFigure(string Title, double[] Columns, double[] Rows, double[][] Values, string XLabel, string YLabel, double ValueMin, double ValueMax, string Unit)
    : ReportFigure(Title)
{
    /// <inheritdoc/>
    public override string ToHtml() => Svg.Heatmap(Title, Columns, Rows, Values, XLabel, YLabel, ValueMin, ValueMax, Unit);
}

/// <summary>Polar plot of levels over azimuth (dB re on axis).</summary>
/// <param name="Title">Title.</param>
/// <param name="AzimuthsDeg">Azimuths, degrees.</param>
/// <param name="LevelsDb">One series per frequency (X ignored, Y = level per azimuth).</param>
/// <param name="RangeDb">Range from rim to centre, dB.</param>
public sealed record PolarFigure(string Title, double[] AzimuthsDeg, IReadOnlyList<Series> LevelsDb, double RangeDb = 40) : ReportFigure(Title)
{
    /// <inheritdoc/>
    public override string ToHtml() => Svg.Polar(Title, AzimuthsDeg, LevelsDb, RangeDb);
}

/// <summary>A table of figures.</summary>
/// <param name="Title">Caption.</param>
/// <param name="Header">Column headers.</param>
/// <param name="Rows">Cells, row by row (the first cell is the row header).</param>
public sealed record TableFigure(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportFigure(Title)
{
    /// <inheritdoc/>
    public override string ToHtml()
    {
        var sb = new StringBuilder("<table><caption>").Append(Svg.Esc(Title)).Append("</caption><tr>");
        foreach (var h in Header)
        {
            sb.Append("<th>").Append(Svg.Esc(h)).Append("</th>");
        }

        sb.Append("</tr>");
        foreach (var row in Rows)
        {
            sb.Append("<tr>");
            for (var c = 0; c < row.Count; c++)
            {
                var tag = c == 0 ? "th" : "td";
                sb.Append('<').Append(tag).Append('>').Append(Svg.Esc(row[c])).Append("</").Append(tag).Append('>');
            }

            sb.Append("</tr>");
        }

        return sb.Append("</table>").ToString();
    }

    /// <summary>Formats a number for a cell (invariant culture, 2 decimals; "-" when missing or not finite).</summary>
    public static string Cell(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : "-";
}

/// <summary>A report section: a heading, an optional explanatory note, and its figures.</summary>
/// <param name="Title">Heading.</param>
/// <param name="Note">What the figures show and how they were computed (plain text), or null.</param>
public sealed record ReportSection(string Title, string? Note = null)
{
    /// <summary>The figures, in order (append to extend the section).</summary>
    public List<ReportFigure> Figures { get; } = [];
}

/// <summary>
/// The data model of <c>report.html</c>: a title, summary lines, and sections of named figures. Stages add sections by
/// adding data; <see cref="ToHtml"/> renders one self-contained page (inline CSS and SVG, no scripts, no external
/// references, well-formed XML so it can be checked by a parser).
/// </summary>
public sealed class ReportDocument
{
    /// <summary>Creates an empty document.</summary>
    public ReportDocument(string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
    }

    /// <summary>Page title and heading.</summary>
    public string Title { get; }

    /// <summary>Summary paragraphs under the heading (plain text).</summary>
    public List<string> Summary { get; } = [];

    /// <summary>Sections in order.</summary>
    public List<ReportSection> Sections { get; } = [];

    /// <summary>Adds and returns a new section.</summary>
    public ReportSection AddSection(string title, string? note = null)
    {
        var section = new ReportSection(title, note);
        Sections.Add(section);
        return section;
    }

    /// <summary>The section titled <paramref name="title"/>, or null.</summary>
    public ReportSection? Find(string title) => Sections.Find(s => s.Title == title);

    /// <summary>Renders the page.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'/><title>").Append(Svg.Esc(Title)).Append("</title><style>")
          .Append("body{font-family:sans-serif;max-width:1150px;margin:auto;padding:1em;color:#222}")
          .Append("table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
          .Append("th{background:#f4f4f4}caption{text-align:left;font-weight:bold;padding:2px}h2{border-bottom:1px solid #ccc;margin-top:1.6em}")
          .Append(".fig{display:inline-block;vertical-align:top;margin:4px}p.note{color:#555;font-size:0.9em}nav a{margin-right:1em}")
          .Append("</style></head><body><h1>").Append(Svg.Esc(Title)).Append("</h1>");
        foreach (var line in Summary)
        {
            sb.Append("<p>").Append(Svg.Esc(line)).Append("</p>");
        }

        sb.Append("<nav>");
        for (var s = 0; s < Sections.Count; s++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<a href='#s{s}'>").Append(Svg.Esc(Sections[s].Title)).Append("</a>");
        }

        sb.Append("</nav>");
        for (var s = 0; s < Sections.Count; s++)
        {
            var section = Sections[s];
            sb.Append(CultureInfo.InvariantCulture, $"<section id='s{s}'><h2>").Append(Svg.Esc(section.Title)).Append("</h2>");
            if (section.Note is not null)
            {
                sb.Append("<p class='note'>").Append(Svg.Esc(section.Note)).Append("</p>");
            }

            foreach (var figure in section.Figures)
            {
                sb.Append(figure is TableFigure ? "<div>" : "<div class='fig'>").Append(figure.ToHtml()).Append("</div>");
            }

            sb.Append("</section>");
        }

        return sb.Append("</body></html>\n").ToString();
    }
}
