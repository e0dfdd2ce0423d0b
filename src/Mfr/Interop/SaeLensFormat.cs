using System.Text.Json.Nodes;
using Mfr.Evaluation;
using Mfr.IO;
using Mfr.Sae;

namespace Mfr.Interop;

/// <summary>
/// SAELens v6 folders (decoderesearch/SAELens, read for this file: sae_lens/saes/sae.py <c>SAEConfig</c>,
/// <c>SAEMetadata</c>, <c>load_from_disk</c>, <c>process_sae_in</c>; sae_lens/saes/topk_sae.py
/// <c>TopKSAEConfig</c>, <c>TopK</c>, <c>TopKSAE.encode/decode</c>; sae_lens/loading/pretrained_sae_loaders.py
/// <c>sae_lens_disk_loader</c>, <c>read_sae_components_from_disk</c>; sae_lens/training/sae_trainer.py
/// <c>_log_feature_sparsity</c>). The loader reads <c>cfg.json</c>, keeps only the config class's fields
/// (extra keys such as our "mfr" block are dropped), loads every tensor of <c>sae_weights.safetensors</c>
/// with <c>load_state_dict(strict)</c> (so exactly W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_in], b_dec),
/// and encodes <c>TopK(relu)((x - b_dec * apply_b_dec_to_input) W_enc + b_enc)</c>, decoding <c>z W_dec + b_dec</c>.
/// With <c>rescale_acts_by_decoder_norm</c> the pre-activations are multiplied by ||W_dec_j|| before TopK
/// and the activations divided by it before decoding: the same as W_enc_j * ||W_dec_j||, b_enc_j * ||W_dec_j||,
/// W_dec_j / ||W_dec_j||, which is how it is imported. <c>sparsity.safetensors</c> holds tensor "sparsity",
/// log10(firing frequency + 1e-10) per latent.
/// </summary>
public static class SaeLensFormat
{
    /// <summary>Weights file name (sae_lens/constants.py <c>SAE_WEIGHTS_FILENAME</c>).</summary>
    public const string WeightsFileName = "sae_weights.safetensors";

    /// <summary>Log-sparsity file name (sae_lens/constants.py <c>SPARSITY_FILENAME</c>).</summary>
    public const string SparsityFileName = "sparsity.safetensors";

    /// <summary>Config file name (sae_lens/constants.py <c>SAE_CFG_FILENAME</c>).</summary>
    public const string ConfigFileName = "cfg.json";

    /// <summary>SAELens' epsilon in <c>_log_feature_sparsity</c>: a latent that never fired scores -10.</summary>
    public const double SparsityEpsilon = 1e-10;

    /// <summary>Writes <paramref name="sae"/> as an SAELens v6 TopK SAE into <paramref name="directory"/> (created if needed).</summary>
    /// <exception cref="ArgumentException">A topk SAE (no ReLU) without held-out vectors (see <see cref="ActivationCheck"/>).</exception>
    public static SaeExportResult Write(TopKSae sae, string directory, SaeExportInputs inputs)
    {
        var check = ActivationCheck.For(sae, inputs.HeldOutVectors.Span);
        var untied = UntiedTopKSae.FromTopKSae(sae);
        int d = untied.InputDim, h = untied.LatentCount;
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName),
        [
            new("W_enc", [d, h], untied.Encoder),
            new("b_enc", [h], untied.EncoderBias),
            new("W_dec", [h, d], untied.Decoder),
            new("b_dec", [d], untied.DecoderBias),
        ], new Dictionary<string, string> { ["format"] = "pt" });
        if (inputs.Evaluation is { } evaluation) WriteSparsity(directory, evaluation, h);
        // An older sparsity file describes other weights (a finished run resumed to train longer writes final/ again).
        else File.Delete(Path.Combine(directory, SparsityFileName));
        WriteConfig(directory, BuildConfig(sae.Config, inputs, check));
        return new SaeExportResult(directory, SaeLayout.SaeLens, check);
    }

    /// <summary>
    /// Adds a held-out evaluation to an SAELens folder written by <see cref="Write"/> without one (a run's final/ is written
    /// before the run is evaluated): sparsity.safetensors, and l0 and num_dead_features in cfg.json's metadata.
    /// </summary>
    /// <exception cref="ArgumentException">The evaluation's latent count differs from the folder's d_sae.</exception>
    public static void AddEvaluation(string directory, ReconstructionMetrics evaluation)
    {
        string configPath = Path.Combine(directory, ConfigFileName);
        var fields = InteropJson.ReadObject(configPath);
        WriteSparsity(directory, evaluation, InteropJson.Integer(fields, "d_sae", configPath));
        if (fields["metadata"] is not JsonObject metadata) throw new InvalidDataException($"{configPath}: field 'metadata' is missing or not an object.");
        metadata["l0"] = evaluation.L0;
        metadata["num_dead_features"] = evaluation.DeadLatents;
        WriteConfig(directory, fields);
    }

    private static void WriteSparsity(string directory, ReconstructionMetrics evaluation, int latentCount)
    {
        if (evaluation.FiringFrequencies.Length != latentCount)
            throw new ArgumentException($"The evaluation has {evaluation.FiringFrequencies.Length} firing frequencies, the SAE in {directory} {latentCount} latents.");
        var logSparsity = evaluation.FiringFrequencies.Select(frequency => (float)Math.Log10(frequency + SparsityEpsilon)).ToArray();
        SafetensorsWriter.Write(Path.Combine(directory, SparsityFileName), [new("sparsity", [latentCount], logSparsity)], new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static void WriteConfig(string directory, JsonObject fields) =>
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), fields.ToJsonString(InteropJson.Indented) + "\n");

    // Key order as SAELens' own save_model writes it: SAEConfig fields, TopKSAEConfig fields, then architecture.
    private static JsonObject BuildConfig(SaeConfig config, SaeExportInputs inputs, ActivationCheck check)
    {
        var meta = inputs.Metadata;
        return new JsonObject
        {
            ["d_in"] = config.InputDim,
            ["d_sae"] = config.LatentCount,
            ["dtype"] = "float32",
            ["device"] = "cpu",
            ["apply_b_dec_to_input"] = config.UseDecoderBias,
            ["normalize_activations"] = "none",
            ["reshape_activations"] = "none",
            ["metadata"] = new JsonObject
            {
                ["sae_lens_version"] = SaeLensMetadata.LayoutVersion,
                ["sae_lens_training_version"] = SaeLensMetadata.LayoutVersion,
                ["hook_name"] = meta.HookName,
                ["model_name"] = meta.ModelName,
                ["model_class_name"] = meta.ModelClassName,
                ["hook_head_index"] = null,
                ["context_size"] = meta.ContextSize,
                ["prepend_bos"] = meta.PrependBos,
                ["dataset_path"] = meta.DatasetPath,
                ["seqpos_slice"] = new JsonArray((JsonNode?)null),
                ["exclude_special_tokens"] = false,
                ["sequence_separator_token"] = null,
                ["disable_concat_sequences"] = false,
                // Must stay empty: a non-empty dict makes SAE.__init__ warn about model loading.
                ["model_from_pretrained_kwargs"] = new JsonObject(),
                ["l0"] = inputs.Evaluation?.L0,
                ["num_dead_features"] = inputs.Evaluation?.DeadLatents,
            },
            ["k"] = config.K,
            // Mfr's decoder rows are unit length, so rescaling would only add rounding.
            ["rescale_acts_by_decoder_norm"] = false,
            ["architecture"] = "topk",
            // Dropped by SAELens (filter_valid_dataclass_fields); kept for Mfr's own reading.
            // SAELens' own save_model keeps the version in metadata only; some v6 releases read it at top level
            // (pretrained_sae_loaders.py _post_process_cfg_dict), others fall back to metadata
            // (handle_config_defaulting), and without it a folder is converted as pre-6.0. Both places, then;
            // from_dict drops the extra top-level key.
            ["sae_lens_version"] = SaeLensMetadata.LayoutVersion,
            ["mfr"] = MfrBlock(config, inputs.Provenance, check),
        };
    }

    // What SAELens has no field for, read back by Mfr's loader (Read): TopK without ReLU, tied weights, provenance,
    // and how often SAELens' ReLU changes this SAE's reconstruction (issue 15 item 2).
    private static JsonObject MfrBlock(SaeConfig config, IReadOnlyDictionary<string, string>? provenance, ActivationCheck check)
    {
        var mfr = new JsonObject
        {
            ["activation"] = config.Activation == SaeActivation.TopK ? "topk" : "topk-relu",
            ["tied_weights"] = true,
            ["use_decoder_bias"] = config.UseDecoderBias,
            ["tool"] = $"mfr {typeof(SaeLensFormat).Assembly.GetName().Version}",
            ["activation_check"] = new JsonObject
            {
                ["vectors_checked"] = check.VectorsChecked,
                ["topk_activations"] = check.TopKActivations,
                ["negative_topk_activations"] = check.NegativeActivations,
                ["note"] = check.Describe(),
            },
        };
        foreach (var (key, value) in provenance ?? new Dictionary<string, string>()) mfr[key] = value;
        return mfr;
    }

    /// <summary>Reads an SAELens v6 TopK folder into the untied form (rescale_acts_by_decoder_norm folded in).</summary>
    /// <exception cref="InvalidDataException">An architecture or setting Mfr cannot run (BatchTopK, JumpReLU, standard ReLU, normalised activations), or a broken file; one line naming the file.</exception>
    public static UntiedTopKSae Read(string directory)
    {
        string configPath = Path.Combine(directory, ConfigFileName);
        var fields = InteropJson.ReadObject(configPath);
        string architecture = InteropJson.String(fields, "architecture", configPath, "standard");
        if (architecture != "topk")
            throw new InvalidDataException($"{configPath}: architecture '{architecture}' is not supported; Mfr runs SAELens 'topk' SAEs only (BatchTopK, JumpReLU, gated and standard ReLU SAEs encode differently).");
        string normalize = InteropJson.String(fields, "normalize_activations", configPath, "none");
        if (normalize != "none")
            throw new InvalidDataException($"{configPath}: normalize_activations '{normalize}' is not supported; Mfr reads SAEs whose inputs are used as given ('none').");
        int d = InteropJson.Integer(fields, "d_in", configPath), h = InteropJson.Integer(fields, "d_sae", configPath);
        int k = InteropJson.Integer(fields, "k", configPath, fallback: 100); // TopKSAEConfig.k default
        bool applyDecoderBias = InteropJson.Boolean(fields, "apply_b_dec_to_input", configPath, true); // SAEConfig default
        bool rescale = InteropJson.Boolean(fields, "rescale_acts_by_decoder_norm", configPath, false); // TopKSAEConfig default (inference)
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No {WeightsFileName} in {directory}.", weightsPath);
        using var file = SafetensorsFile.Open(weightsPath);
        float[] encoder = InteropJson.Tensor(file, "W_enc", d, h);
        float[] encoderBias = InteropJson.Tensor(file, "b_enc", h);
        float[] decoder = InteropJson.Tensor(file, "W_dec", h, d);
        float[] decoderBias = InteropJson.Tensor(file, "b_dec", d);
        if (rescale) FoldDecoderNorms(encoder, encoderBias, decoder, d, h);
        try
        {
            return new UntiedTopKSae(d, h, k, encoder, encoderBias, decoder, decoderBias, applyDecoderBias, reluAfterTopK: !ExportedWithoutRelu(fields, configPath));
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"{configPath}: {exception.Message}", exception);
        }
    }

    // SAELens runs every topk SAE with ReLU; an Mfr 'topk' SAE exported with its check reads back as it was trained.
    private static bool ExportedWithoutRelu(JsonObject fields, string configPath) =>
        fields["mfr"] is JsonObject mfr && InteropJson.String(mfr, "activation", configPath, "topk-relu") == "topk";

    // TopKSAE.encode multiplies a_j by ||W_dec_j|| and _act_times_W_dec divides z_j by it: fold both into the weights.
    private static void FoldDecoderNorms(float[] encoder, float[] encoderBias, float[] decoder, int d, int h)
    {
        for (int j = 0; j < h; j++)
        {
            double norm = 0;
            for (int t = 0; t < d; t++) norm += (double)decoder[(long)j * d + t] * decoder[(long)j * d + t];
            norm = Math.Sqrt(norm);
            if (norm == 0) continue; // a zero row decodes to nothing either way
            for (int t = 0; t < d; t++)
            {
                decoder[(long)j * d + t] = (float)(decoder[(long)j * d + t] / norm);
                encoder[(long)t * h + j] = (float)(encoder[(long)t * h + j] * norm);
            }
            encoderBias[j] = (float)(encoderBias[j] * norm);
        }
    }
}
