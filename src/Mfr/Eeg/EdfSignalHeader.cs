namespace Mfr.Eeg;

/// <summary>
/// The per-signal part of an EDF/BDF header (256 bytes per signal, stored field by field for all
/// signals: label 16, transducer 80, physical dimension 8, physical min 8, physical max 8, digital
/// min 8, digital max 8, prefiltering 80, samples per record 8, reserved 32 bytes).
/// </summary>
/// <param name="Label">Signal label as written, trimmed (e.g. <c>EEG Fp1</c>, <c>EEG FP1-REF</c>, <c>EDF Annotations</c>).</param>
/// <param name="TransducerType">Transducer text, trimmed.</param>
/// <param name="PhysicalDimension">Unit of the physical values, trimmed (e.g. <c>uV</c>, <c>mV</c>).</param>
/// <param name="PhysicalMinimum">Physical value of <paramref name="DigitalMinimum"/>.</param>
/// <param name="PhysicalMaximum">Physical value of <paramref name="DigitalMaximum"/>.</param>
/// <param name="DigitalMinimum">Smallest digital value (e.g. -32768).</param>
/// <param name="DigitalMaximum">Largest digital value (e.g. 32767).</param>
/// <param name="Prefiltering">Prefiltering text, trimmed (e.g. <c>HP:0.5Hz LP:45Hz</c>, often empty).</param>
/// <param name="SamplesPerRecord">Samples of this signal in each data record.</param>
/// <param name="Reserved">Reserved per-signal text, trimmed.</param>
/// <param name="SamplingRateHz">Samples per second: <paramref name="SamplesPerRecord"/> / record duration.</param>
/// <param name="IsAnnotation">True for an EDF+/BDF+ annotation signal (label <c>EDF Annotations</c> or
/// <c>BDF Annotations</c>): its bytes are text, not samples, and it has no sampling rate of its own.</param>
public sealed record EdfSignalHeader(
    string Label,
    string TransducerType,
    string PhysicalDimension,
    double PhysicalMinimum,
    double PhysicalMaximum,
    long DigitalMinimum,
    long DigitalMaximum,
    string Prefiltering,
    int SamplesPerRecord,
    string Reserved,
    double SamplingRateHz,
    bool IsAnnotation)
{
    /// <summary>Physical units per digital step: (physMax - physMin) / (digMax - digMin).</summary>
    public double Gain => (PhysicalMaximum - PhysicalMinimum) / (DigitalMaximum - DigitalMinimum);

    /// <summary>
    /// Converts one digital sample to physical units:
    /// <c>(digital - digMin) * (physMax - physMin) / (digMax - digMin) + physMin</c>
    /// (EDF spec; the offset term is not zero when the physical range is not symmetric).
    /// </summary>
    public double ToPhysical(long digital) => (digital - DigitalMinimum) * Gain + PhysicalMinimum;
}
