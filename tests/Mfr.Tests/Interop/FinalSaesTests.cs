using System.Text.Json.Nodes;
using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Interop;

/// <summary>Issue 15 item 4: a run's final/ is in SAELens v6 layout, restores the exact SAE, and final/ folders in the old layout still work.</summary>
public sealed class FinalSaesTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    private static string TrainTinyRun(TemporaryDirectory folder, params string[] extra)
    {
        var (code, _, error) = Run(["train", "--samples", "128", "--batch-size", "32", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2",
            "--count", "2", "--out", folder.Combine("run"), .. extra]);
        Assert.True(code == 0, error);
        return folder.Combine("run");
    }

    [Fact]
    public void FinishedRun_WritesFinalInSaeLensLayout_ThatLoadsBackBitIdentical()
    {
        // Given a run of a topk SAE (no ReLU) and a topk-relu SAE with a decoder bias
        using var folder = new TemporaryDirectory();
        var specification = new RunSpecification(
            DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 8, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 5)),
            [new SaeConfig(8, 12, 3), new SaeConfig(8, 12, 2, SaeActivation.TopKRelu, UseDecoderBias: true)],
            new TrainingConfig(SampleCount: 4 * 32, BatchSize: 32, LearningRate: 0.01f, Seed: 9));

        // When it finishes
        using var run = TrainingRun.Start(specification, folder.Path);

        // Then each final SAE is SAELens' weights file and cfg.json (no file of the old layout), and Mfr's loader restores it bit for bit
        for (int m = 0; m < 2; m++)
        {
            string final = folder.Combine("final", $"sae-{m}");
            Assert.Equal(SaeLayout.SaeLens, SaeImport.Detect(final));
            Assert.False(File.Exists(Path.Combine(final, SaeFiles.WeightsFileName)));
            var trained = run.Trainer.Members[m].Sae;
            using var loaded = SaeFiles.Load(final);
            Assert.Equal(trained.Config, loaded.Config);
            Assert.Equal(trained.Weights.ToArray(), loaded.Weights.ToArray());
            Assert.Equal(trained.Bias.ToArray(), loaded.Bias.ToArray());
            Assert.Equal(trained.DecoderBias.ToArray(), loaded.DecoderBias.ToArray());
            Assert.Equal(trained.Decoder.ToArray(), loaded.Decoder.ToArray());
        }
        // And the "mfr" block keeps the provenance the old layout recorded, and the topk SAE's activation check
        var mfr = JsonNode.Parse(File.ReadAllText(folder.Combine("final", "sae-0", "cfg.json")))!["mfr"]!;
        Assert.Equal("4", mfr["trained_steps"]!.GetValue<string>());
        Assert.Equal(run.Trainer.Members[0].Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), mfr["seed"]!.GetValue<string>());
        Assert.Equal(ActivationCheck.CheckedVectors, mfr["activation_check"]!["vectors_checked"]!.GetValue<long>());
        Assert.Equal(ActivationCheck.CheckedVectors * 3L, mfr["activation_check"]!["topk_activations"]!.GetValue<long>());
    }

    [Fact]
    public void TrainedRun_GetsSparsityAndL0FromItsHeldOutEvaluation()
    {
        // Given a run trained through `mfr train` (which evaluates it on held-out data)
        using var folder = new TemporaryDirectory();
        string run = TrainTinyRun(folder);

        // When its final SAE folder is read as SAELens reads it
        string final = Path.Combine(run, "final", "sae-1");
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(final, "cfg.json")))!["metadata"]!;
        using var sparsity = SafetensorsFile.Open(Path.Combine(final, SaeLensFormat.SparsityFileName));

        // Then sparsity.safetensors, l0 and num_dead_features are the evaluation's (final/evaluation.json)
        var evaluation = Mfr.Evaluation.HeldOutEvaluation.Load(run)!.Saes[1];
        Assert.Equal(evaluation.L0, metadata["l0"]!.GetValue<double>());
        Assert.Equal(evaluation.DeadLatents, metadata["num_dead_features"]!.GetValue<int>());
        Assert.Equal(evaluation.FiringFrequencies.Select(f => (float)Math.Log10(f + SaeLensFormat.SparsityEpsilon)), sparsity.ReadFloat32("sparsity"));
    }

    [Fact]
    public void OldLayoutFinal_StillEvaluatesComparesExportsAndResumes_AsTheNewLayoutDoes()
    {
        // Given a run whose final SAEs are rewritten by the old writer (cfg.json + sae.safetensors, as runs before the SAELens layout hold them)
        using var folder = new TemporaryDirectory();
        string run = TrainTinyRun(folder);
        string[] finals = [Path.Combine(run, "final", "sae-0"), Path.Combine(run, "final", "sae-1")];
        string[] eval = ["eval", "--sae", finals[0], finals[1], "--features", "48", "--active-features", "3", "--batches", "2", "--batch-size", "50", "--json"];
        var (_, newLayoutEval, _) = Run(eval);
        var (_, newLayoutCompare, _) = Run("compare", finals[0], finals[1], "--json");
        foreach (string final in finals)
        {
            using var sae = SaeFiles.Load(final);
            Directory.Delete(final, recursive: true);
            SaeFiles.Save(sae, final);
        }
        Assert.Equal(SaeLayout.Mfr, SaeImport.Detect(finals[0]));

        // When eval, compare, export and a resume that trains on read them
        var (evalCode, oldLayoutEval, evalError) = Run(eval);
        var (compareCode, oldLayoutCompare, compareError) = Run("compare", finals[0], finals[1], "--json");
        var (exportCode, _, exportError) = Run("export", run, "--format", "saelens", "--out", folder.Combine("exported"));
        var (reportCode, _, reportError) = Run("report", run);
        var (resumeCode, _, resumeError) = Run("train", "--resume", run, "--samples", "192");

        // Then each works and measures what it measured on the new layout; the resumed run's final/ is SAELens' again, without the stale file
        Assert.True(evalCode == 0, evalError);
        Assert.Equal(newLayoutEval, oldLayoutEval);
        Assert.True(compareCode == 0, compareError);
        Assert.Equal(newLayoutCompare, oldLayoutCompare);
        Assert.True(exportCode == 0, exportError);
        Assert.True(reportCode == 0, reportError);
        Assert.True(resumeCode == 0, resumeError);
        Assert.Equal(SaeLayout.SaeLens, SaeImport.Detect(finals[0]));
        Assert.False(File.Exists(Path.Combine(finals[0], SaeFiles.WeightsFileName)));
    }

    [Fact]
    public void CommittedOldLayoutFolder_LoadsAsWritten_AndEvaluates()
    {
        // Given a final SAE folder as runs before the SAELens layout wrote it (TestData/Interop/OldLayoutSae: cfg.json with
        // activation_fn_kwargs and the mfr block, sae.safetensors; d 6, h 12, k 3, topk), committed so a change to the writer cannot hide a break
        string folder = Path.Combine(AppContext.BaseDirectory, "TestData", "Interop", "OldLayoutSae");
        float[] encoder;
        using (var file = SafetensorsFile.Open(Path.Combine(folder, "sae.safetensors"))) encoder = file.ReadFloat32("W_enc");

        // When Mfr's loader reads it and `mfr eval` measures it
        using var sae = SaeFiles.Load(folder);
        var (code, output, error) = Run("eval", "--sae", folder, "--features", "48", "--active-features", "3", "--batches", "1", "--batch-size", "100", "--json");

        // Then it is the SAE in the file (W = W_enc transposed, topk kept), and it evaluates
        Assert.Equal(SaeLayout.Mfr, SaeImport.Detect(folder));
        Assert.Equal(new SaeConfig(6, 12, 3, SaeActivation.TopK, UseDecoderBias: false), sae.Config);
        for (int j = 0; j < 12; j++)
            for (int t = 0; t < 6; t++) Assert.Equal(encoder[t * 12 + j], sae.Weights[j * 6 + t]);
        Assert.True(code == 0, error);
        Assert.Contains("\"latentCount\":12", output);
    }

    [Fact]
    public void ActivationWarnings_NameTheFinalSaesSaeLensWouldReconstructDifferently()
    {
        // Given a run folder whose sae-0 is a topk SAE with every top-k value negative and sae-1 one with none
        using var folder = new TemporaryDirectory();
        float[] heldOut = InteropSaes.Inputs(8, 6);
        using var negative = InteropSaes.Tied(SaeActivation.TopK, decoderBias: false);
        negative.Bias.Fill(-100);
        using var positive = InteropSaes.Tied(SaeActivation.TopK, decoderBias: false);
        positive.Bias.Fill(100);
        SaeLensFormat.Write(negative, folder.Combine("final", "sae-0"), new SaeExportInputs(new SaeLensMetadata("test"), HeldOutVectors: heldOut));
        SaeLensFormat.Write(positive, folder.Combine("final", "sae-1"), new SaeExportInputs(new SaeLensMetadata("test"), HeldOutVectors: heldOut));

        // When the warnings `mfr train` prints are read
        var warnings = FinalSaes.ActivationWarnings(folder.Path);

        // Then only sae-0 is named, with its count
        Assert.Contains(folder.Combine("final", "sae-0"), Assert.Single(warnings));
        Assert.Contains("24 of 24", warnings[0]);
    }

    [Fact]
    public void ActivationCheck_CountsAsTheScalarReference_OnMixedSigns()
    {
        // Given a topk SAE whose top-k values are partly negative
        using var sae = InteropSaes.Tied(SaeActivation.TopK, decoderBias: true, d: 6, h: 10, k: 4);
        for (int j = 0; j < 10; j++) sae.Bias[j] -= 0.6f;
        float[] inputs = InteropSaes.Inputs(200, 6);

        // When the check counts them through Mfr's forward pass
        var check = ActivationCheck.For(sae, inputs);

        // Then the count is the double-precision reference's, and neither none nor all
        Assert.Equal(UntiedTopKSae.FromTopKSae(sae).CountNegativeTopK(inputs, 200), check.NegativeActivations);
        Assert.InRange(check.NegativeActivations, 1, check.TopKActivations - 1);
    }
}
