namespace Mfr.Eeg;

/// <summary>
/// The header of an EDF, EDF+C, BDF or BDF+C file (256 bytes plus 256 per signal), with the numeric
/// fields parsed and checked by <see cref="EdfFile.Open"/>.
/// </summary>
/// <param name="Format">Which variant the version and reserved fields declare.</param>
/// <param name="Version">Version field (<c>0</c> for EDF, <c>BIOSEMI</c> after the 0xFF byte for BDF).</param>
/// <param name="PatientId">Local patient identification, trimmed (EDF+: code, sex, birthdate, name).</param>
/// <param name="RecordingId">Local recording identification, trimmed.</param>
/// <param name="StartDate">Start date as written (<c>dd.mm.yy</c>).</param>
/// <param name="StartTime">Start time as written (<c>hh.mm.ss</c>).</param>
/// <param name="StartDateTime">Start date and time, or null when the fields do not parse (years 85-99 are
/// 1985-1999, 00-84 are 2000-2084, as the EDF spec prescribes).</param>
/// <param name="HeaderBytes">Bytes before the first data record (= 256 x (signals + 1)).</param>
/// <param name="Reserved">Reserved field, trimmed (<c>EDF+C</c>, <c>24BIT</c>, <c>BDF+C</c> or empty).</param>
/// <param name="RecordCount">Number of data records. When the file says -1 (allowed while recording), the
/// count is computed from the file size if that is an exact number of records.</param>
/// <param name="RecordCountFromFileSize">True when <paramref name="RecordCount"/> was computed from the file size
/// because the header said -1.</param>
/// <param name="RecordDurationSeconds">Duration of one data record in seconds (&gt; 0).</param>
/// <param name="Signals">All signals in file order, annotation signals included.</param>
public sealed record EdfHeader(
    EdfFormat Format,
    string Version,
    string PatientId,
    string RecordingId,
    string StartDate,
    string StartTime,
    DateTime? StartDateTime,
    int HeaderBytes,
    string Reserved,
    int RecordCount,
    bool RecordCountFromFileSize,
    double RecordDurationSeconds,
    IReadOnlyList<EdfSignalHeader> Signals)
{
    /// <summary>Bytes per sample: 2 for EDF, 3 for BDF.</summary>
    public int BytesPerSample => Format is EdfFormat.Bdf or EdfFormat.BdfPlusContinuous ? 3 : 2;

    /// <summary>Bytes of one data record (all signals' samples of one record).</summary>
    public int RecordBytes => Signals.Sum(signal => signal.SamplesPerRecord) * BytesPerSample;

    /// <summary>Total duration in seconds: records x record duration.</summary>
    public double DurationSeconds => RecordCount * RecordDurationSeconds;

    /// <summary>Indices (into <see cref="Signals"/>) of the signals that carry samples, in file order.</summary>
    public IReadOnlyList<int> DataSignalIndices =>
        Enumerable.Range(0, Signals.Count).Where(index => !Signals[index].IsAnnotation).ToArray();

    /// <summary>Samples of signal <paramref name="signalIndex"/> in the whole file (records x samples per record).</summary>
    public long SampleCount(int signalIndex) => (long)RecordCount * Signals[signalIndex].SamplesPerRecord;
}
