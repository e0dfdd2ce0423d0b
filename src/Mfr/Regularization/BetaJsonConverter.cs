using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mfr.Regularization;

/// <summary>
/// The MFR penalty scale beta in JSON (run.json, results.json, config files): a number, or "auto" for
/// null, the beta chosen at step 1 so that the penalty equals the initial reconstruction loss (SPEC 2).
/// A bare null reads as auto too (files written before "auto" was spelled out).
/// </summary>
public sealed class BetaJsonConverter : JsonConverter<double?>
{
    /// <summary>The JSON text of an automatic beta.</summary>
    public const string Auto = "auto";

    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBeta(ref reader);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options) => WriteBeta(writer, value);

    internal static double? ReadBeta(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when string.Equals(reader.GetString(), Auto, StringComparison.OrdinalIgnoreCase) => null,
        _ => throw new JsonException($"beta must be a number or \"{Auto}\"."),
    };

    internal static void WriteBeta(Utf8JsonWriter writer, double? value)
    {
        if (value is double beta) writer.WriteNumberValue(beta);
        else writer.WriteStringValue(Auto);
    }
}
