using System.Buffers.Binary;
using System.Text.Json;

namespace Mfr.IO;

/// <summary>
/// The parsed and validated header of a safetensors file. Validation follows the official crate
/// (huggingface/safetensors, safetensors/src/tensor.rs, <c>read_metadata</c> and
/// <c>Metadata::validate</c>): header at most 100,000,000 bytes, valid UTF-8 JSON, every tensor with
/// a known dtype, a shape and [begin, end] offsets, byte counts that match shape * dtype size, and
/// tensors that, sorted by offset, tile the data section exactly.
/// </summary>
internal sealed record SafetensorsHeader(IReadOnlyList<TensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataSectionStart)
{
    /// <summary>Largest header accepted, as in the official crate (MAX_HEADER_SIZE).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The key of the free-form string map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Reads and validates the header of <paramref name="stream"/> (positioned anywhere).</summary>
    public static SafetensorsHeader Read(string path, Stream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new InvalidDataException($"'{path}' is not a safetensors file: it has {fileLength} bytes, fewer than the 8-byte header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"'{path}' is not a valid safetensors file: header length {headerLength} bytes is absurd (limit {MaxHeaderBytes}).");
        if ((long)headerLength > fileLength - 8)
            throw new InvalidDataException($"'{path}' is not a valid safetensors file: header length {headerLength} bytes goes beyond the file's {fileLength} bytes (truncated file?).");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataSectionStart = 8 + (long)headerLength;
        return Parse(path, json, dataSectionStart, fileLength - dataSectionStart);
    }

    private static SafetensorsHeader Parse(string path, byte[] json, long dataSectionStart, long dataSectionLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            // Invalid UTF-8 surfaces as an ArgumentException on some paths, bad JSON as a JsonException.
            throw new InvalidDataException($"'{path}' has an invalid safetensors header: not valid UTF-8 JSON ({exception.Message})", exception);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"'{path}' has an invalid safetensors header: JSON {root.ValueKind} instead of an object.");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<TensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new InvalidDataException($"'{path}' has an invalid safetensors header: key '{property.Name}' appears twice.");
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else tensors.Add(ReadTensor(path, property.Name, property.Value, dataSectionLength));
            }
            CheckTiling(path, tensors, dataSectionLength);
            return new SafetensorsHeader(tensors, metadata, dataSectionStart);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"'{path}' has an invalid safetensors header: \"{MetadataKey}\" is a JSON {value.ValueKind}, not an object of strings.");
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"'{path}' has an invalid safetensors header: \"{MetadataKey}\" value of '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a string.");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static TensorInfo ReadTensor(string path, string name, JsonElement value, long dataSectionLength)
    {
        string where = $"'{path}': tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where} is a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets.");
        string dtype = RequiredProperty(where, value, "dtype", JsonValueKind.String).GetString()!;
        if (!DTypes.TryGetSafetensorsSize(dtype, out int elementSize))
            throw new InvalidDataException($"{where} has unknown dtype '{dtype}' (known: {DTypes.KnownSafetensorsNames}).");
        long[] shape = ReadIntegers(where, RequiredProperty(where, value, "shape", JsonValueKind.Array), "shape");
        long[] offsets = ReadIntegers(where, RequiredProperty(where, value, "data_offsets", JsonValueKind.Array), "data_offsets");
        if (offsets.Length != 2)
            throw new InvalidDataException($"{where} has {offsets.Length} data_offsets, expected [begin, end].");
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw new InvalidDataException($"{where} has data_offsets [{begin}, {end}] with begin > end.");
        if (end > dataSectionLength)
            throw new InvalidDataException($"{where} ends at data offset {end} but the data section has only {dataSectionLength} bytes: the file is truncated.");
        long expectedBytes;
        try
        {
            expectedBytes = elementSize;
            foreach (long dimension in shape) expectedBytes = checked(expectedBytes * dimension);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{where} has shape [{string.Join(", ", shape)}] whose byte count overflows.");
        }
        if (end - begin != expectedBytes)
            throw new InvalidDataException($"{where} has {end - begin} bytes (data_offsets [{begin}, {end}]) but shape [{string.Join(", ", shape)}] of {dtype} needs {expectedBytes}.");
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static JsonElement RequiredProperty(string where, JsonElement tensor, string property, JsonValueKind kind)
    {
        if (!tensor.TryGetProperty(property, out JsonElement value))
            throw new InvalidDataException($"{where} has no \"{property}\" field.");
        if (value.ValueKind != kind)
            throw new InvalidDataException($"{where} has a \"{property}\" that is a JSON {value.ValueKind}, expected {kind}.");
        return value;
    }

    private static long[] ReadIntegers(string where, JsonElement array, string field)
    {
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
                throw new InvalidDataException($"{where} has \"{field}\" entry {item.GetRawText()}, not a non-negative integer.");
            values[i++] = value;
        }
        return values;
    }

    /// <summary>Sorts by offset and checks the tensors tile [0, dataSectionLength) exactly.</summary>
    private static void CheckTiling(string path, List<TensorInfo> tensors, long dataSectionLength)
    {
        tensors.Sort((a, b) => a.DataStart != b.DataStart ? a.DataStart.CompareTo(b.DataStart) : a.DataEnd.CompareTo(b.DataEnd));
        long covered = 0;
        TensorInfo? previous = null;
        foreach (TensorInfo tensor in tensors)
        {
            if (tensor.DataStart < covered)
                throw new InvalidDataException($"'{path}': tensors '{previous!.Name}' [{previous.DataStart}, {previous.DataEnd}) and '{tensor.Name}' [{tensor.DataStart}, {tensor.DataEnd}) overlap.");
            if (tensor.DataStart > covered)
                throw new InvalidDataException($"'{path}': data bytes [{covered}, {tensor.DataStart}) before tensor '{tensor.Name}' belong to no tensor (the format requires tensors to cover the data section without gaps).");
            covered = tensor.DataEnd;
            previous = tensor;
        }
        if (covered != dataSectionLength)
            throw new InvalidDataException($"'{path}': the data section has {dataSectionLength} bytes but the tensors cover only {covered}; {dataSectionLength - covered} trailing bytes belong to no tensor.");
    }
}
