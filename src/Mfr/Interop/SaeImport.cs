using Mfr.IO;

namespace Mfr.Interop;

/// <summary>
/// Reads one SAE folder in any layout Mfr knows, telling them apart by their files: SAELens v6 has
/// <c>sae_weights.safetensors</c>; sparsify's <c>sae.safetensors</c> holds <c>encoder.weight</c>;
/// Mfr's own <c>sae.safetensors</c> holds <c>W_enc</c>.
/// </summary>
public static class SaeImport
{
    /// <summary>The layout of the SAE folder <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">Neither weights file is there.</exception>
    public static SaeLayout Detect(string directory)
    {
        if (File.Exists(Path.Combine(directory, SaeLensFormat.WeightsFileName))) return SaeLayout.SaeLens;
        string weights = Path.Combine(directory, SparsifyFormat.WeightsFileName);
        if (!File.Exists(weights))
            throw new FileNotFoundException($"No {SaeLensFormat.WeightsFileName} (SAELens) or {SparsifyFormat.WeightsFileName} (Mfr, sparsify) in {directory}: not an SAE folder.", weights);
        using var file = SafetensorsFile.Open(weights);
        return file.Contains(SparsifyFormat.EncoderWeightName) ? SaeLayout.Sparsify : SaeLayout.Mfr;
    }

    /// <summary>Whether <paramref name="directory"/> holds an SAELens or sparsify SAE (false for Mfr's own layout or no SAE at all).</summary>
    public static bool IsForeign(string directory) =>
        File.Exists(Path.Combine(directory, SaeLensFormat.WeightsFileName))
        || (File.Exists(Path.Combine(directory, SparsifyFormat.WeightsFileName)) && Detect(directory) == SaeLayout.Sparsify);

    /// <summary>Reads an SAELens or sparsify folder into the untied form (Mfr's own folders load with <see cref="Checkpoints.SaeFiles.Load"/>).</summary>
    /// <exception cref="InvalidDataException">A layout or setting Mfr cannot run, or a broken file; one line naming the file.</exception>
    public static UntiedTopKSae Read(string directory) => Detect(directory) switch
    {
        SaeLayout.SaeLens => SaeLensFormat.Read(directory),
        SaeLayout.Sparsify => SparsifyFormat.Read(directory),
        _ => UntiedTopKSae.FromTopKSae(Checkpoints.SaeFiles.Load(directory)),
    };
}
