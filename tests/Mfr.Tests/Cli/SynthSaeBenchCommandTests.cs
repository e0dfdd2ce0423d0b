using System.Text.Json;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Tests.Data;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Cli;

/// <summary>`mfr train --data synthsaebench-...` and a custom SynthSAEBench world through --config, end to end, resumed and evaluated.</summary>
public sealed class SynthSaeBenchCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    /// <summary>A train config file on the tiny world: two SAEs h 32, k 4, 8 steps of 32, recovery every 4 steps.</summary>
    private static string TinyConfig(TemporaryDirectory folder)
    {
        var config = new TrainExperimentConfig(
            DataSpecification.ForSynthSaeBench(SynthSaeBenchDataTests.Tiny),
            [new Mfr.Sae.SaeConfig(16, 32, 4), new Mfr.Sae.SaeConfig(16, 32, 4)],
            new TrainingConfig(SampleCount: 8 * 32, BatchSize: 32, LearningRate: 0.01f, Seed: 3, CheckpointEverySteps: 3, EvaluationEverySteps: 4),
            EvaluationBatches: 2);
        string path = folder.Combine("tiny.json");
        File.WriteAllText(path, ConfigFile.Write(config));
        return path;
    }

    [Theory]
    [InlineData(SynthSaeBenchConfig.ScaledName, 256, 4096)]
    [InlineData(SynthSaeBenchConfig.Standard16kName, 768, 16384)]
    public void DataPreset_IsRecordedWithTheDataSeed_AndSetsTheSaeWidth(string preset, int width, int features)
    {
        // When the config of a run on a preset is printed
        var (code, output, error) = Run("train", "--data", preset, "--data-seed", "9", "--print-config");

        // Then it is the preset with the data seed, and the SAEs take its d
        Assert.True(code == 0, error);
        var config = JsonSerializer.Deserialize<TrainExperimentConfig>(output, MetricLog.JsonOptions)!;
        Assert.Equal(DataSpecification.SynthSaeBenchKind, config.Data.Kind);
        Assert.Equal(SynthSaeBenchConfig.Preset(preset) with { Seed = 9 }, config.Data.SynthSaeBench);
        Assert.Equal((width, features), (config.Data.SynthSaeBench!.InputDim, config.Data.SynthSaeBench.FeatureCount));
        Assert.All(config.Saes, sae => Assert.Equal(width, sae.InputDim));
    }

    [Fact]
    public void SyntheticOnlyFlags_AreRefusedOnSynthSaeBench()
    {
        var (code, _, error) = Run("train", "--data", SynthSaeBenchConfig.ScaledName, "--features", "100", "--print-config");

        Assert.Equal(2, code);
        Assert.Contains("--features", error);
        Assert.Contains("SynthSAEBench", error);
    }

    [Fact]
    public void Train_OnACustomWorld_LogsRecovery_Evaluates_ResumesAndIsEvaluatedFromTheRunFolder()
    {
        // Given a tiny SynthSAEBench world in a config file
        using var folder = new TemporaryDirectory();
        string config = TinyConfig(folder);

        // When it is trained straight, and trained with an interruption after a checkpoint (samples 160 of 256) then resumed
        var straight = Run("train", "--config", config, "--out", folder.Combine("straight"));
        var shortRun = Run("train", "--config", config, "--samples", "160", "--out", folder.Combine("resumed"));
        var resumed = Run("train", "--resume", folder.Combine("resumed"), "--samples", "256");

        // Then each finishes, recovery is logged at steps 0, 4 and 8, and the final evaluation is on held-out samples
        Assert.True(straight.Code == 0, straight.Error);
        Assert.True(shortRun.Code == 0, shortRun.Error);
        Assert.True(resumed.Code == 0, resumed.Error);
        var lines = GroundTruthRecoveryEvaluator.ReadLog(folder.Combine("straight", TrainingRun.MetricsFileName));
        Assert.Equal([0L, 4, 8], lines.Select(l => l.Step));
        Assert.All(lines, line => Assert.All(line.Mmcs, mmcs => Assert.InRange(mmcs, -1, 1)));
        var evaluation = HeldOutEvaluation.Load(folder.Combine("straight"))!;
        Assert.Equal(HeldOutData.GeneratedStreamOffset, evaluation.FirstBatch);
        Assert.NotNull(evaluation.Latents![0].ToTruth);
        // And the resumed run ends with the straight run's weights, bit for bit
        for (int m = 0; m < 2; m++)
            Assert.Equal(File.ReadAllBytes(folder.Combine("straight", "final", $"sae-{m}", "sae_weights.safetensors")), File.ReadAllBytes(folder.Combine("resumed", "final", $"sae-{m}", "sae_weights.safetensors")));

        // When its SAE is evaluated on the run folder's recorded data
        var eval = Run("eval", "--sae", folder.Combine("straight", "final", "sae-0"), "--data", folder.Combine("straight"), "--batches", "2", "--batch-size", "32", "--json");

        // Then it measures the same held-out samples as the run's own evaluation
        Assert.True(eval.Code == 0, eval.Error);
        using var document = JsonDocument.Parse(eval.Output);
        double mse = document.RootElement.GetProperty("saes")[0].GetProperty("metrics").GetProperty("mse").GetDouble();
        Assert.Equal(evaluation.Saes[0].Mse, mse, 12);
    }
}

/// <summary>`mfr bench --data synthsaebench-...`: the generator's share of a step, and the preset's superposition.</summary>
public sealed class SynthSaeBenchBenchCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void Bench_OnTheScaledPreset_ShowsTheDataPhaseShare_AndTheDirectionsOverlap()
    {
        // When a step is timed on the scaled preset (its d 256 taken from the preset)
        var (code, output, error) = Run("bench", "--data", SynthSaeBenchConfig.ScaledName, "--latents", "64", "--k", "4", "--batch-size", "32", "--steps", "1");

        // Then the data phase's share and the preset's mean max overlap are printed (about 0.22 at d 256, the preset's doc)
        Assert.True(code == 0, error);
        Assert.Contains("N=4096, d=256", output);
        var share = System.Text.RegularExpressions.Regex.Match(output, @"data phase: [0-9.]+ ms/step, ([0-9.]+)% of the mean step");
        Assert.True(share.Success, output);
        Assert.InRange(double.Parse(share.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 100);
        var overlap = System.Text.RegularExpressions.Regex.Match(output, @"mean max overlap ([0-9.]+)");
        Assert.True(overlap.Success, output);
        Assert.InRange(double.Parse(overlap.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.18, 0.26);
    }

    [Fact]
    public void Bench_WithTheInt8Encoder_TimesItsPath_AndAnUnknownEncoderIsAUsageError()
    {
        // When a step is timed with --encoder int8, then with an encoder that does not exist
        var (code, output, error) = Run("bench", "--encoder", "int8", "--batch-size", "48", "--latents", "32", "--k", "4", "--steps", "1");
        var (badCode, _, badError) = Run("bench", "--encoder", "int4", "--steps", "1");

        // Then the first names the int8-select path in its header and its rate line; the second is refused with exit 2
        Assert.True(code == 0, error);
        Assert.Contains("encoder int8", error);
        Assert.Contains("int8-select encoder, as fp32-equivalent:", output);
        Assert.Equal(2, badCode);
        Assert.Contains("--encoder must be fp32 or int8, got 'int4'", badError);
    }

    [Fact]
    public void Bench_WithAnInputDimThatDisagreesWithThePreset_IsAUsageError()
    {
        var (code, _, error) = Run("bench", "--data", SynthSaeBenchConfig.ScaledName, "--input-dim", "64", "--steps", "1");

        Assert.Equal(2, code);
        Assert.Contains("--input-dim 64", error);
    }
}
