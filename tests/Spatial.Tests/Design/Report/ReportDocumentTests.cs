using System.Xml;
using System.Xml.Linq;
using SpatialAudio.Spatial.Design.Report;

namespace SpatialAudio.Spatial.Tests.Design.Report;

public sealed class ReportDocumentTests
{
    internal static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    [Fact]
    public void Html_IsWellFormed_SelfContained_WithAnSvgPerSection()
    {
        var doc = new ReportDocument("Test <report> & co ±3 dB");
        doc.Summary.Add("a < b");
        double[] f = [100, 1000, 10000];
        doc.AddSection("Lines", "note with µs and °").Figures.Add(new LineFigure("t", [new Series("s & t", f, [0, -3, double.NaN])], "frequency (Hz)", "dB", true, -10, 10));
        doc.AddSection("Map").Figures.Add(new HeatmapFigure("h", f, [1, 2], [[0, 1, 2], [3, 4, 5]], "x", "y", 0, 5, "dB"));
        var polar = doc.AddSection("Polar");
        polar.Figures.Add(new PolarFigure("p", [-90, 0, 90], [new Series("1 kHz", [], [-20, 0, -20])]));
        polar.Figures.Add(new TableFigure("tab", ["a", "b"], [["x", TableFigure.Cell(1.234)], ["y", TableFigure.Cell(double.NaN)]]));

        var html = doc.ToHtml();
        var xml = Parse(html);
        var sections = xml.Descendants("section").ToList();
        Assert.Equal(3, sections.Count);
        Assert.All(sections, s => Assert.NotEmpty(s.Descendants("svg")));
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Test <report> & co ±3 dB", xml.Descendants("h1").Single().Value);
        Assert.Contains(xml.Descendants("td"), td => td.Value == "1.23");
        Assert.Contains(xml.Descendants("td"), td => td.Value == "-");
    }

    [Fact]
    public void LinePlot_BreaksTheLineAtMissingValues()
    {
        var svg = Svg.LinePlot("t", [new Series("s", [1, 2, 3, 4], [0, double.NaN, 1, 2])], "x", "y", false, -1, 3);
        var path = Parse(svg).Descendants("path").Single().Attribute("d")!.Value;
        Assert.Equal(2, path.Count(c => c == 'M'));
    }
}
