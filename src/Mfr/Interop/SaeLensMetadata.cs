namespace Mfr.Interop;

/// <summary>
/// The <c>metadata</c> object of an SAELens v6 <c>cfg.json</c> (sae_lens/saes/sae.py, <c>SAEMetadata</c>:
/// free-form keys, missing ones read as None). Defaults describe an SAE trained on vectors from a file,
/// not on a language model: the hook names the data honestly instead of inventing a model.
/// </summary>
/// <param name="HookName">Where the vectors come from: a TransformerLens hook (<c>blocks.0.hook_mlp_out</c>) for GPT-2 runs, the data file otherwise.</param>
/// <param name="ModelName">Model the vectors were read from, or null.</param>
/// <param name="ModelClassName">SAELens' model class (<c>HookedTransformer</c> for GPT-2), or null.</param>
/// <param name="ContextSize">Tokens per sequence, or null.</param>
/// <param name="PrependBos">Whether sequences began with BOS, or null.</param>
/// <param name="DatasetPath">Text or vector data the SAE was trained on, or null.</param>
public sealed record SaeLensMetadata(
    string HookName,
    string? ModelName = null,
    string? ModelClassName = null,
    int? ContextSize = null,
    bool? PrependBos = null,
    string? DatasetPath = null)
{
    /// <summary>
    /// The SAELens version whose layout we write (v6: sae_weights.safetensors + cfg.json with
    /// architecture and metadata); SAELens itself fills these from <c>__version__</c>.
    /// </summary>
    public const string LayoutVersion = "6.0.0";
}
