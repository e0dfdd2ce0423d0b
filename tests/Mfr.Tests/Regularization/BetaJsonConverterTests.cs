using System.Text.Json;
using System.Text.Json.Nodes;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Tests.Regularization;

/// <summary>How the configuration records read in run.json and results.json: one key per concept, beta "auto" spelled out.</summary>
public sealed class BetaJsonConverterTests
{
    private static JsonObject Serialize<T>(T value) => JsonSerializer.SerializeToNode(value, MetricLog.JsonOptions)!.AsObject();

    [Fact]
    public void MfrConfig_AutoBetaIsWrittenAsAuto_AndDerivedPropertiesAreNotWritten()
    {
        // Given / When
        JsonObject json = Serialize(new MfrConfig());

        // Then
        Assert.Equal("auto", (string?)json["beta"]);
        Assert.Equal(["mode", "beta", "warmupSteps", "reinitialization", "assignmentRefreshSteps"], json.Select(p => p.Key));
    }

    [Theory]
    [InlineData("\"auto\"", null)]
    [InlineData("null", null)]
    [InlineData("0.25", 0.25)]
    public void MfrConfig_ReadsAutoNullOrANumber(string beta, double? expected)
    {
        MfrConfig config = JsonSerializer.Deserialize<MfrConfig>($$"""{"mode":"mfr","beta":{{beta}}}""", MetricLog.JsonOptions)!;

        Assert.Equal(expected, config.Beta);
    }

    [Fact]
    public void MfrConfig_BetaThatIsNeitherANumberNorAuto_IsRefused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<MfrConfig>("""{"beta":"big"}""", MetricLog.JsonOptions));
    }

    [Fact]
    public void RunSpecification_WrittenAndReadBack_IsTheSame_AndHoldsNoDerivedKeys()
    {
        // Given a run.json as `mfr train --mode mfr` writes it
        var specification = new RunSpecification(new Mfr.Data.DataSpecification(Synthetic: new SyntheticDataConfig(InputDim: 8)), [new Mfr.Sae.SaeConfig(8, 16, 2)],
            new TrainingConfig(SampleCount: 640, BatchSize: 64), new MfrConfig(Beta: 0.5, Reinitialization: new ReinitializationConfig(Threshold: 3)));

        // When
        string text = JsonSerializer.Serialize(specification, MetricLog.JsonOptions);
        var read = JsonSerializer.Deserialize<RunSpecification>(text, MetricLog.JsonOptions)!;

        // Then
        Assert.Equal(text, JsonSerializer.Serialize(read, MetricLog.JsonOptions));
        Assert.Equal(0.5, read.Regularization!.Beta);
        Assert.Equal(3, read.Regularization.ReinitializationSettings.Threshold);
        foreach (string derived in new[] { "smallestGroupSize", "stepCount", "\"adam\"", "usesPenalty", "usesReinitialization", "reinitializationSettings" })
            Assert.DoesNotContain(derived, text, StringComparison.Ordinal);
    }

    [Fact]
    public void RunJsonWrittenBeforeTheChange_WithDerivedKeysAndNullBeta_StillReads()
    {
        const string old = """
            {"data":{"kind":"synthetic","synthetic":{"inputDim":8,"featureCount":48,"groupCount":12,"activeFeatures":3,"frequencyDecay":0.99,"seed":0,"smallestGroupSize":4}},
             "saes":[{"inputDim":8,"latentCount":16,"k":2}],
             "training":{"sampleCount":640,"batchSize":64,"stepCount":10,"adam":{"learningRate":0.01}},
             "regularization":{"mode":"mfr","beta":null,"usesPenalty":true,"reinitializationSettings":{"threshold":2.5}}}
            """;

        var read = JsonSerializer.Deserialize<RunSpecification>(old, MetricLog.JsonOptions)!;

        Assert.Null(read.Regularization!.Beta);
        Assert.Equal(MfrMode.Mfr, read.Regularization.Mode);
        Assert.Equal(10, read.Training.StepCount);
    }

    [Fact]
    public void SyntheticExperimentConfig_OneKeyPerConcept_BetasSpelledOut_AndReadsBack()
    {
        // Given the defaults (no betas: one automatic beta; no MFR template: the default one)
        var config = new SyntheticExperimentConfig(new SyntheticDataConfig());

        // When
        JsonObject json = Serialize(config);
        var read = JsonSerializer.Deserialize<SyntheticExperimentConfig>(json.ToJsonString(), MetricLog.JsonOptions)!;

        // Then
        Assert.False(json.ContainsKey("betaValues"));
        Assert.False(json.ContainsKey("mfrTemplate"));
        Assert.Equal(["auto"], json["betas"]!.AsArray().Select(b => (string?)b));
        Assert.Equal([null], read.BetaValues);
        Assert.Equal(config.MfrTemplate, read.MfrTemplate);
    }

    [Fact]
    public void SyntheticExperimentConfig_BetaListMixingNumbersAndAuto_ReadsBack()
    {
        var config = new SyntheticExperimentConfig(new SyntheticDataConfig(), Betas: [0.1, null]);

        var read = JsonSerializer.Deserialize<SyntheticExperimentConfig>(JsonSerializer.Serialize(config, MetricLog.JsonOptions), MetricLog.JsonOptions)!;

        Assert.Equal([0.1, null], read.BetaValues);
    }
}
