using System.Text.Json;

namespace SpatialAudio.Cli.Commands;

/// <summary>The JSON style of every <c>--json</c> output: snake_case names, non-finite numbers as strings.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
