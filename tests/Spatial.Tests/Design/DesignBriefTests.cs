using SpatialAudio.Spatial.Design;

namespace SpatialAudio.Spatial.Tests.Design;

public sealed class DesignBriefTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("brief").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void NoBrief_LeavesTheOptionsAsTheyAre()
    {
        var options = new DesignOptions { FirLength = 1024 };
        Assert.Same(options, DesignBrief.Apply(Path.Combine(folder, DesignBrief.FileName), options));
    }

    [Fact]
    public void Brief_SetsTheBeamNullTarget_AndNothingElse()
    {
        var path = Write("{\"beam_null_target_db\": 20}");
        var options = DesignBrief.Apply(path, new DesignOptions { FirLength = 1024 });
        Assert.Equal(20.0, options.BeamNullTargetDb);
        var defaults = new DesignOptions();
        Assert.Equal(1024, options.FirLength);
        Assert.Equal(defaults.BeamWindowFloorDb, options.BeamWindowFloorDb);
        Assert.Equal(defaults.MaxGainOverMatrixDb, options.MaxGainOverMatrixDb);
        Assert.Equal(defaults.TargetCancellationDb, options.TargetCancellationDb);
    }

    [Theory]
    [InlineData("[20]", "must be a JSON object")]
    [InlineData("{\"beam_null_target\": 20}", "unknown key 'beam_null_target'")]
    [InlineData("{\"beam_null_target_db\": \"20\"}", "must be a number")]
    [InlineData("{\"beam_null_target_db\": -1}", "0..40")]
    [InlineData("{beam", "not valid JSON")]
    public void BadBrief_NamesTheFileAndTheProblem(string text, string problem)
    {
        var path = Write(text);
        var error = Assert.Throws<InvalidDataException>(() => DesignBrief.Apply(path, new DesignOptions()));
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    private string Write(string text)
    {
        var path = Path.Combine(folder, DesignBrief.FileName);
        File.WriteAllText(path, text);
        return path;
    }
}
