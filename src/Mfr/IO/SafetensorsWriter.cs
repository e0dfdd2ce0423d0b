using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mfr.IO;

/// <summary>
/// Writes float32 tensors to a safetensors file, atomically (<see cref="AtomicFile"/>). The layout is
/// the official one (huggingface/safetensors, safetensors/src/tensor.rs <c>prepare</c>): compact JSON
/// header with <c>"__metadata__"</c> first, padded with spaces to a multiple of 8 bytes so the data
/// section (and so every float32 tensor) is aligned; tensors stored back to back. Unlike the official
/// writer, which sorts by dtype then name, tensors are stored in the order given.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (and optional string metadata) to <paramref name="path"/>.</summary>
    /// <param name="path">Target file; its folder must exist; an existing file is replaced atomically.</param>
    /// <param name="tensors">Tensors in the order to store them; names unique and non-empty.</param>
    /// <param name="metadata">The <c>"__metadata__"</c> map, or null for none.</param>
    /// <exception cref="ArgumentException">A duplicate or reserved name, or a shape that does not match the data length.</exception>
    public static void Write(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = BuildHeader(tensors, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (NamedTensor tensor in tensors) WriteFloats(stream, tensor.Data.Span);
        });
    }

    /// <summary>Writes floats as little-endian bytes, in blocks so more than 2 GB of bytes never forms one span.</summary>
    internal static void WriteFloats(Stream stream, ReadOnlySpan<float> values)
    {
        const int block = 1 << 24;
        for (int start = 0; start < values.Length; start += block)
            stream.Write(MemoryMarshal.AsBytes(values.Slice(start, Math.Min(block, values.Length - start))));
    }

    /// <summary>The JSON header, space-padded to a multiple of 8 bytes.</summary>
    internal static byte[] BuildHeader(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is not null && metadata.Count > 0)
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (KeyValuePair<string, string> entry in metadata) json.WriteString(entry.Key, entry.Value ?? throw new ArgumentException($"Metadata value of '{entry.Key}' is null.", nameof(metadata)));
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (NamedTensor tensor in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                CheckTensor(tensor, names);
                long byteCount = (long)tensor.Data.Length * sizeof(float);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + byteCount);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += byteCount;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static void CheckTensor(NamedTensor tensor, HashSet<string> names)
    {
        if (string.IsNullOrEmpty(tensor.Name))
            throw new ArgumentException("A tensor has an empty name.", nameof(tensor));
        if (tensor.Name == SafetensorsHeader.MetadataKey)
            throw new ArgumentException($"A tensor cannot be called '{SafetensorsHeader.MetadataKey}' (reserved for metadata).", nameof(tensor));
        if (!names.Add(tensor.Name))
            throw new ArgumentException($"Tensor name '{tensor.Name}' appears twice.", nameof(tensor));
        ArgumentNullException.ThrowIfNull(tensor.Shape);
        long elements = 1;
        foreach (long dimension in tensor.Shape)
        {
            if (dimension < 0) throw new ArgumentException($"Tensor '{tensor.Name}' has negative dimension in shape [{string.Join(", ", tensor.Shape)}].", nameof(tensor));
            elements = checked(elements * dimension);
        }
        if (elements != tensor.Data.Length)
            throw new ArgumentException($"Tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}] ({elements} elements) but {tensor.Data.Length} data values.", nameof(tensor));
    }
}
