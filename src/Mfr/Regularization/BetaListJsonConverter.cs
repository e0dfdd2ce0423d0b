using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mfr.Regularization;

/// <summary>
/// A list of MFR betas in JSON, each a number or "auto" (<see cref="BetaJsonConverter"/>). A missing list
/// means one automatic beta and is written as ["auto"], so a reader sees what ran.
/// </summary>
public sealed class BetaListJsonConverter : JsonConverter<double?[]?>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override double?[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("betas must be a list of numbers or \"auto\".");
        var betas = new List<double?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) betas.Add(BetaJsonConverter.ReadBeta(ref reader));
        return [.. betas];
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double?[]? value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (double? beta in value is { Length: > 0 } ? value : [null]) BetaJsonConverter.WriteBeta(writer, beta);
        writer.WriteEndArray();
    }
}
