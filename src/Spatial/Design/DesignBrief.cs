using System.Globalization;
using System.Text.Json;

namespace SpatialAudio.Spatial.Design;

/// <summary>
/// A device's design brief: the optional <c>design.json</c> next to its <c>device.json</c>, holding the targets that
/// differ per device (issue 4 asks the soundbar for 20 dB beam nulls where the smaller devices get 15).
/// </summary>
/// <remarks>
/// <para>Format: <c>{"beam_null_target_db": 20}</c>. Every key is optional; unknown keys are errors (a misspelt target
/// must not be silently ignored).</para>
/// </remarks>
public static class DesignBrief
{
    /// <summary>File name of the brief inside a device folder.</summary>
    public const string FileName = "design.json";

    /// <summary>The options with the brief at <paramref name="path"/> applied; unchanged when the file does not exist.</summary>
    /// <param name="path">Path of a <c>design.json</c>.</param>
    /// <param name="options">The options to start from.</param>
    /// <returns>The options to design with.</returns>
    /// <exception cref="InvalidDataException">The file is not valid JSON, has an unknown key or a value out of range;
    /// the message names the file and the key.</exception>
    public static DesignOptions Apply(string path, DesignOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path))
        {
            return options;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: must be a JSON object, e.g. {{\"beam_null_target_db\": 20}}");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "beam_null_target_db":
                        options = options with { BeamNullTargetDb = Number(path, property, 0, 40) };
                        break;
                    default:
                        throw new InvalidDataException($"{path}: unknown key '{property.Name}' (known: beam_null_target_db)");
                }
            }
        }

        return options;
    }

    private static double Number(string path, JsonProperty property, double low, double high)
    {
        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || !(value >= low && value <= high))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: '{property.Name}' must be a number in {low}..{high}, not {property.Value.GetRawText()}"));
        }

        return value;
    }
}
