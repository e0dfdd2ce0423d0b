namespace Mfr.Eeg;

/// <summary>
/// Channel label normalisation, so the same electrode matches across datasets: eegmat writes
/// <c>EEG Fp1</c>, TUH writes <c>EEG FP1-REF</c> (average/common reference) or <c>EEG FP1-LE</c> (linked ears).
/// </summary>
public static class EegChannelLabels
{
    /// <summary>
    /// The 19 scalp electrodes of the international 10-20 system in the old nomenclature that eegmat and TUH
    /// use (T3/T4/T5/T6, not T7/T8/P7/P8), normalised: the default channel selection. Ear/mastoid references
    /// (A1, A2, A2-A1), ECG/EKG, EMG, EOG and photic channels are not among them.
    /// </summary>
    public static IReadOnlyList<string> Standard1020 { get; } =
        ["FP1", "FP2", "F3", "F4", "F7", "F8", "T3", "T4", "C3", "C4", "T5", "T6", "P3", "P4", "O1", "O2", "FZ", "CZ", "PZ"];

    /// <summary>
    /// Normalises a label: trims, removes a leading <c>EEG </c> and a trailing <c>-REF</c> or <c>-LE</c>
    /// (case-insensitive), and upper-cases (invariant). <c>EEG Fp1</c> and <c>EEG FP1-REF</c> both give <c>FP1</c>;
    /// <c>EEG A2-A1</c> gives <c>A2-A1</c>.
    /// </summary>
    public static string Normalize(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        string text = label.Trim();
        if (text.StartsWith("EEG ", StringComparison.OrdinalIgnoreCase)) text = text[4..].TrimStart();
        if (text.EndsWith("-REF", StringComparison.OrdinalIgnoreCase)) text = text[..^4];
        else if (text.EndsWith("-LE", StringComparison.OrdinalIgnoreCase)) text = text[..^3];
        return text.Trim().ToUpperInvariant();
    }
}
