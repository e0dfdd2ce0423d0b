namespace Mfr.Eeg;

/// <summary>A file that passed the header checks of <see cref="EegPreprocessor"/>, with what to read and how.</summary>
/// <param name="Name">Recording name (path relative to the folder, '/' separators).</param>
/// <param name="SourcePath">Full path of the EDF/BDF file.</param>
/// <param name="SignalIndices">Indices of the signals to read, in output channel order.</param>
/// <param name="SourceSamplingRateHz">Rate of those signals in the file.</param>
/// <param name="SampleCount">Samples per channel after resampling.</param>
/// <param name="SegmentCount">Segments the recording yields.</param>
internal sealed record EegPlannedRecording(string Name, string SourcePath, int[] SignalIndices, int SourceSamplingRateHz, int SampleCount, int SegmentCount);
