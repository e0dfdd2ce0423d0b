using System.Text.Json.Nodes;
using Mfr.Checkpoints;
using Mfr.Evaluation;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Interop;

/// <summary>Issue 15 items 1-3 and 5: the SAELens and sparsify layouts, their activation semantics, and loading them back.</summary>
public sealed class InteropFormatTests
{
    private static readonly SaeExportInputs NoEvaluation = new(new SaeLensMetadata("vectors.npy"));

    [Fact]
    public void SaeLensExport_HasTheV6KeysTensorsAndLogSparsity()
    {
        // Given a topk-relu SAE and an evaluation where latent 0 never fired and latent 1 fired half the time
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: false, d: 4, h: 5, k: 2);
        double[] frequencies = [0, 0.5, 0.25, 1, 0.125];
        var evaluation = new ReconstructionMetrics(100, 0.1, 0.2, 1.875, 1, frequencies);

        // When it is exported in SAELens' layout
        SaeLensFormat.Write(sae, temp.Path, NoEvaluation with { Evaluation = evaluation });

        // Then cfg.json has SAELens v6's TopK keys, the weights file exactly its four tensors, and sparsity log10(f + 1e-10)
        var cfg = JsonNode.Parse(File.ReadAllText(temp.File("cfg.json")))!.AsObject();
        foreach (string key in new[] { "d_in", "d_sae", "dtype", "device", "apply_b_dec_to_input", "normalize_activations", "reshape_activations", "metadata", "k", "rescale_acts_by_decoder_norm", "architecture" })
            Assert.True(cfg.ContainsKey(key), key);
        Assert.Equal("topk", cfg["architecture"]!.GetValue<string>());
        Assert.Equal("6.0.0", cfg["sae_lens_version"]!.GetValue<string>());
        var metadata = cfg["metadata"]!.AsObject();
        foreach (string key in new[] { "sae_lens_version", "sae_lens_training_version", "hook_name", "model_name", "model_class_name", "hook_head_index", "context_size", "prepend_bos", "dataset_path", "seqpos_slice", "exclude_special_tokens", "sequence_separator_token", "disable_concat_sequences", "model_from_pretrained_kwargs", "l0", "num_dead_features" })
            Assert.True(metadata.ContainsKey(key), key);
        Assert.Equal(1, metadata["num_dead_features"]!.GetValue<int>());
        using (var weights = SafetensorsFile.Open(temp.File("sae_weights.safetensors")))
        {
            Assert.Equal(["W_dec", "W_enc", "b_dec", "b_enc"], weights.TensorNames.Order(StringComparer.Ordinal));
            Assert.Equal([4L, 5L], weights.GetInfo("W_enc").Shape);
            Assert.Equal([5L, 4L], weights.GetInfo("W_dec").Shape);
            // W_enc column j is Mfr's unnormalised row W_j
            Assert.Equal(sae.Weights[1 * 4 + 2], weights.ReadFloat32("W_enc")[2 * 5 + 1]);
        }
        using var sparsity = SafetensorsFile.Open(temp.File("sparsity.safetensors"));
        float[] logSparsity = sparsity.ReadFloat32("sparsity");
        Assert.Equal(-10f, logSparsity[0], 1e-4f);
        Assert.Equal((float)Math.Log10(0.5), logSparsity[1], 1e-6f);
        Assert.Equal(0f, logSparsity[3], 1e-6f);
    }

    [Fact]
    public void SparsifyExport_HasItsConfigKeysAndStrictTensorSet()
    {
        // Given a topk-relu SAE with 12 latents on 4 inputs
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true, d: 4, h: 12, k: 3);

        // When it is exported in sparsify's layout
        SparsifyFormat.Write(sae, temp.Path, NoEvaluation);

        // Then cfg.json has sparsify's fields and sae.safetensors exactly encoder.weight [h, d], encoder.bias, W_dec, b_dec
        var cfg = JsonNode.Parse(File.ReadAllText(temp.File("cfg.json")))!.AsObject();
        Assert.Equal(["activation", "d_in", "expansion_factor", "k", "multi_topk", "normalize_decoder", "num_latents", "skip_connection", "transcode"],
            cfg.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal(12, cfg["num_latents"]!.GetValue<int>());
        Assert.Equal(3, cfg["expansion_factor"]!.GetValue<int>());
        using var weights = SafetensorsFile.Open(temp.File("sae.safetensors"));
        Assert.Equal(["W_dec", "b_dec", "encoder.bias", "encoder.weight"], weights.TensorNames.Order(StringComparer.Ordinal));
        Assert.Equal([12L, 4L], weights.GetInfo("encoder.weight").Shape);
    }

    [Theory]
    [InlineData(SaeLayout.SaeLens)]
    [InlineData(SaeLayout.Sparsify)]
    public void TiedExport_LoadsBackThroughSaeFiles_WithTheSameReconstruction(SaeLayout layout)
    {
        // Given a topk-relu SAE with a decoder bias, exported in a library's layout
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true);
        _ = layout == SaeLayout.SaeLens ? SaeLensFormat.Write(sae, temp.Path, NoEvaluation) : SparsifyFormat.Write(sae, temp.Path, NoEvaluation);
        float[] inputs = InteropSaes.Inputs(30, 6);

        // When the loader every command uses reads the folder
        Assert.Equal(layout, SaeImport.Detect(temp.Path));
        using var loaded = SaeFiles.Load(temp.Path);

        // Then it is the same SAE: same config, same reconstruction
        Assert.Equal(sae.Config, loaded.Config);
        Assert.InRange(InteropSaes.MaxAbsDifference(InteropSaes.MfrReconstruction(sae, inputs), InteropSaes.MfrReconstruction(loaded, inputs)), 0, 1e-5);
    }

    [Fact]
    public void MfrsOwnLayout_StillLoads_AndIsDetectedAsMfr()
    {
        // Given an SAE saved in Mfr's own layout (sae.safetensors with W_enc)
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopK, decoderBias: false);
        SaeFiles.Save(sae, temp.Path);

        // When it is detected and loaded
        var layout = SaeImport.Detect(temp.Path);
        using var loaded = SaeFiles.Load(temp.Path);

        // Then it is Mfr's and keeps its topk activation
        Assert.Equal(SaeLayout.Mfr, layout);
        Assert.Equal(sae.Config, loaded.Config);
    }

    [Fact]
    public void UntiedReference_ReconstructsAsMfrsForwardPass_ForBothActivations()
    {
        foreach (var activation in new[] { SaeActivation.TopK, SaeActivation.TopKRelu })
        {
            // Given an Mfr SAE and its untied form
            using var sae = InteropSaes.Tied(activation, decoderBias: true);
            float[] inputs = InteropSaes.Inputs(30, 6);

            // When both reconstruct
            float[] reference = UntiedTopKSae.FromTopKSae(sae).Reconstruct(inputs, 30);

            // Then they agree
            Assert.InRange(InteropSaes.MaxAbsDifference(InteropSaes.MfrReconstruction(sae, inputs), reference), 0, 1e-5);
        }
    }

    [Fact]
    public void TopKWithoutRelu_IsRefusedWithoutHeldOutVectors_WithTheReason()
    {
        // Given a topk (no ReLU) SAE
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopK, decoderBias: false);

        // When it is exported with no held-out vectors
        var exception = Assert.Throws<ArgumentException>(() => SaeLensFormat.Write(sae, temp.Path, NoEvaluation));

        // Then the export says why and writes nothing
        Assert.Contains("ReLU", exception.Message);
        Assert.Contains("topk-relu", exception.Message);
        Assert.False(File.Exists(temp.File("sae_weights.safetensors")));
    }

    [Fact]
    public void TopKWithoutRelu_ExportsWithTheCountOfNegativeTopKValues()
    {
        // Given a topk SAE whose biases are so negative that every pre-activation is negative
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopK, decoderBias: false);
        sae.Bias.Fill(-100);
        float[] heldOut = InteropSaes.Inputs(8, 6);

        // When it is exported with 8 held-out vectors
        var result = SparsifyFormat.Write(sae, temp.Path, NoEvaluation with { HeldOutVectors = heldOut });

        // Then all 8 * k top-k values are reported negative
        Assert.Equal(new ActivationCheck(SaeActivation.TopK, 8, 24, 24), result.Check);
        Assert.Contains("24 of 24", result.Check.Describe());
    }

    [Fact]
    public void TopKWithoutRelu_WithAPositiveRegime_CountsNoNegatives()
    {
        // Given a topk SAE whose biases are so positive that every pre-activation is positive
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopK, decoderBias: false);
        sae.Bias.Fill(100);

        // When it is exported with held-out vectors
        var result = SaeLensFormat.Write(sae, temp.Path, NoEvaluation with { HeldOutVectors = InteropSaes.Inputs(8, 6) });

        // Then none is negative
        Assert.Equal(0, result.Check.NegativeActivations);
    }

    [Theory]
    [InlineData("jumprelu")]
    [InlineData("batchtopk")]
    [InlineData("standard")]
    public void SaeLensArchitecturesOtherThanTopK_AreRefusedInOneLine(string architecture)
    {
        // Given an SAELens folder whose cfg.json names another architecture
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: false);
        SaeLensFormat.Write(sae, temp.Path, NoEvaluation);
        var cfg = JsonNode.Parse(File.ReadAllText(temp.File("cfg.json")))!.AsObject();
        cfg["architecture"] = architecture;
        File.WriteAllText(temp.File("cfg.json"), cfg.ToJsonString());

        // When Mfr loads it
        var exception = Assert.Throws<InvalidDataException>(() => SaeFiles.Load(temp.Path));

        // Then the line names the file and the architecture
        Assert.Contains(temp.File("cfg.json"), exception.Message);
        Assert.Contains($"'{architecture}'", exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Fact]
    public void DecoderBiasAddedOnlyAfterDecoding_IsFoldedIntoTheEncoderBias()
    {
        // Given a tied SAE in the untied form whose b_dec is added after decoding but not subtracted before encoding
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true);
        var untied = UntiedTopKSae.FromTopKSae(sae);
        var afterOnly = new UntiedTopKSae(untied.InputDim, untied.LatentCount, untied.K, untied.Encoder, untied.EncoderBias, untied.Decoder, untied.DecoderBias,
            subtractDecoderBias: false, reluAfterTopK: true);
        float[] inputs = InteropSaes.Inputs(30, 6);

        // When it becomes Mfr's TopKSae (which always subtracts b_dec when it has one)
        using var converted = afterOnly.ToTopKSae("test");

        // Then it reconstructs as the untied reference does
        Assert.InRange(InteropSaes.MaxAbsDifference(afterOnly.Reconstruct(inputs, 30), InteropSaes.MfrReconstruction(converted, inputs)), 0, 1e-5);
    }

    [Fact]
    public void Gpt2Activations_GiveSaeLensTheTransformerLensHookModelAndContext()
    {
        // Given the manifest `mfr gpt2` writes next to its activations
        using var temp = new TemporaryDirectory();
        string activations = temp.File("train.npy");
        var manifest = new Mfr.Experiments.Gpt2ActivationManifest("/data/owt.bin", 0, 1000, 128, 3, Mfr.Gpt2.Gpt2HookPoint.MlpOutput, "x", 1.5);
        File.WriteAllText(Mfr.Experiments.Gpt2Experiment.ManifestPath(activations), System.Text.Json.JsonSerializer.Serialize(manifest, Mfr.Training.MetricLog.JsonOptions));

        // When the export reads its provenance
        var metadata = SaeExport.Gpt2Metadata(activations);

        // Then SAELens' metadata names the hook as TransformerLens does, and the model and context as run
        Assert.Equal(new SaeLensMetadata("blocks.3.hook_mlp_out", "gpt2", "HookedTransformer", 128, false, "/data/owt.bin"), metadata);
    }
}
