using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mfr.Eeg;

/// <summary>
/// An open EDF, EDF+C, BDF or BDF+C file: the parsed <see cref="Header"/> and readers that decode whole
/// signals to physical units. <see cref="Open"/> refuses, with an <see cref="InvalidDataException"/> naming
/// the file and the problem, headers with bad numbers, zero signals, EDF+D/BDF+D (discontinuous) files and
/// files whose size is not header + records x record bytes (truncated or CRLF-corrupted copies).
/// Reads are positional, so one instance may be read from several threads.
/// </summary>
public sealed class EdfFile : IDisposable
{
    // Records are read in chunks of about this many bytes (whole records), then decoded per signal.
    private const int ChunkBytes = 1 << 20;

    private readonly SafeFileHandle handle;

    private EdfFile(string path, SafeFileHandle handle, EdfHeader header)
    {
        Path = path;
        this.handle = handle;
        Header = header;
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>The parsed and checked header.</summary>
    public EdfHeader Header { get; }

    /// <summary>Opens <paramref name="path"/> and reads and checks its header.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is malformed, the file is EDF+D/BDF+D, or its size does not match the header.</exception>
    public static EdfFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"EDF file not found: {path}", path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(handle);
            var fixedPart = new byte[EdfHeaderParser.FixedHeaderBytes];
            if (RandomAccess.Read(handle, fixedPart, 0) < fixedPart.Length)
                throw new InvalidDataException($"{path}: the file is {length} bytes, shorter than the 256-byte EDF header.");
            int signalCount = EdfHeaderParser.ReadSignalCount(fixedPart, path);
            long headerLength = (long)EdfHeaderParser.SignalHeaderBytes * (signalCount + 1);
            if (headerLength > length)
                throw new InvalidDataException($"{path}: the file is {length} bytes, shorter than the {headerLength}-byte header its {signalCount} signals need (truncated?).");
            var header = new byte[headerLength];
            RandomAccess.Read(handle, header, 0);
            return new EdfFile(path, handle, EdfHeaderParser.Parse(header, path, length));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads one signal, whole, in physical units (see <see cref="EdfSignalHeader.ToPhysical"/>).</summary>
    /// <param name="signalIndex">Index into <see cref="EdfHeader.Signals"/>; must not be an annotation signal.</param>
    /// <returns><c>[RecordCount x SamplesPerRecord]</c> samples.</returns>
    public double[] ReadPhysical(int signalIndex) => ReadPhysical([signalIndex])[0];

    /// <summary>Reads several signals, whole, in physical units, in one pass over the file.</summary>
    /// <param name="signalIndices">Indices into <see cref="EdfHeader.Signals"/> (no annotation signals; repeats allowed).</param>
    /// <returns>One array per requested index, <c>[RecordCount x SamplesPerRecord]</c> samples each.</returns>
    public double[][] ReadPhysical(IReadOnlyList<int> signalIndices)
    {
        ArgumentNullException.ThrowIfNull(signalIndices);
        var signals = Header.Signals;
        var offsets = new int[signals.Count];
        for (int s = 1; s < signals.Count; s++) offsets[s] = offsets[s - 1] + signals[s - 1].SamplesPerRecord * Header.BytesPerSample;

        var outputs = new double[signalIndices.Count][];
        for (int i = 0; i < signalIndices.Count; i++)
        {
            int index = signalIndices[i];
            if ((uint)index >= (uint)signals.Count)
                throw new ArgumentOutOfRangeException(nameof(signalIndices), index, $"{Path} has {signals.Count} signals (indices 0..{signals.Count - 1}).");
            if (signals[index].IsAnnotation)
                throw new ArgumentException($"{Path}: signal {index} (\"{signals[index].Label}\") is an annotation signal, not samples.", nameof(signalIndices));
            EnsureReadable(index);
            long count = Header.SampleCount(index);
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{Path}: signal {index} has {count} samples, more than one array can hold.");
            outputs[i] = new double[count];
        }

        int recordBytes = Header.RecordBytes;
        int recordsPerChunk = Math.Max(1, ChunkBytes / Math.Max(1, recordBytes));
        byte[] chunk = ArrayPool<byte>.Shared.Rent(recordsPerChunk * recordBytes);
        try
        {
            for (int firstRecord = 0; firstRecord < Header.RecordCount; firstRecord += recordsPerChunk)
            {
                int records = Math.Min(recordsPerChunk, Header.RecordCount - firstRecord);
                var bytes = chunk.AsSpan(0, records * recordBytes);
                ReadExactly(bytes, Header.HeaderBytes + (long)firstRecord * recordBytes);
                for (int i = 0; i < signalIndices.Count; i++)
                {
                    var signal = signals[signalIndices[i]];
                    int samples = signal.SamplesPerRecord;
                    for (int r = 0; r < records; r++)
                    {
                        var source = bytes.Slice(r * recordBytes + offsets[signalIndices[i]], samples * Header.BytesPerSample);
                        var destination = outputs[i].AsSpan((firstRecord + r) * samples, samples);
                        if (Header.BytesPerSample == 2) DecodeInt16(source, signal, destination);
                        else DecodeInt24(source, signal, destination);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return outputs;
    }

    /// <summary>Throws when data signal <paramref name="signalIndex"/> has unusable scaling fields (see <see cref="EdfHeaderParser.ScalingProblem"/>).</summary>
    internal void EnsureReadable(int signalIndex)
    {
        var signal = Header.Signals[signalIndex];
        if (EdfHeaderParser.ScalingProblem(signal, Header.BytesPerSample) is { } problem)
            throw new InvalidDataException($"{Path}: signal {signalIndex + 1} (\"{signal.Label}\") {problem}.");
    }

    private void ReadExactly(Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0) throw new InvalidDataException($"{Path}: the file ended early at byte {offset} (changed while reading?).");
            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>EDF samples: 16-bit little-endian two's complement.</summary>
    private static void DecodeInt16(ReadOnlySpan<byte> source, EdfSignalHeader signal, Span<double> destination)
    {
        // MemoryMarshal.Cast reads the machine's byte order; .NET on x64/arm64 is little-endian like EDF.
        var digital = MemoryMarshal.Cast<byte, short>(source);
        double gain = signal.Gain, digitalMin = signal.DigitalMinimum, physicalMin = signal.PhysicalMinimum;
        for (int i = 0; i < destination.Length; i++) destination[i] = (digital[i] - digitalMin) * gain + physicalMin;
    }

    /// <summary>BDF samples: 24-bit little-endian two's complement.</summary>
    private static void DecodeInt24(ReadOnlySpan<byte> source, EdfSignalHeader signal, Span<double> destination)
    {
        double gain = signal.Gain, digitalMin = signal.DigitalMinimum, physicalMin = signal.PhysicalMinimum;
        for (int i = 0; i < destination.Length; i++)
        {
            int digital = source[3 * i] | (source[3 * i + 1] << 8) | ((sbyte)source[3 * i + 2] << 16);
            destination[i] = (digital - digitalMin) * gain + physicalMin;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();
}
