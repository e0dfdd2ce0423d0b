namespace Mfr.Eeg;

/// <summary>The file variants <see cref="EdfFile"/> reads (all continuous).</summary>
public enum EdfFormat
{
    /// <summary>Plain EDF (1992): 16-bit little-endian two's-complement samples.</summary>
    Edf,

    /// <summary>EDF+ continuous (reserved field <c>EDF+C</c>): EDF samples plus "EDF Annotations" signals.</summary>
    EdfPlusContinuous,

    /// <summary>BioSemi BDF (version byte 0xFF, "BIOSEMI", reserved <c>24BIT</c>): 24-bit little-endian samples.</summary>
    Bdf,

    /// <summary>BDF+ continuous (reserved field <c>BDF+C</c>): BDF samples plus "BDF Annotations" signals.</summary>
    BdfPlusContinuous,
}
