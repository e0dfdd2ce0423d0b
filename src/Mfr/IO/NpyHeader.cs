using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Mfr.IO;

/// <summary>
/// The header of an .npy file (numpy/lib/format.py, format versions 1.0, 2.0 and 3.0): the magic
/// <c>\x93NUMPY</c>, major and minor version bytes, the header length (u16 little-endian for 1.0, u32
/// for 2.0 and 3.0), then a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c> padded with spaces and ended
/// by '\n' so the data starts at a multiple of 64 bytes (16 in numpy before 1.14; any start is read).
/// </summary>
/// <param name="Descr">The dtype descriptor string, e.g. <c>&lt;f4</c>.</param>
/// <param name="FortranOrder">Whether the data is in column-major order.</param>
/// <param name="Shape">Dimensions (empty for a 0-d array).</param>
/// <param name="DataStart">File offset of the first data byte.</param>
internal sealed record NpyHeader(string Descr, bool FortranOrder, IReadOnlyList<long> Shape, long DataStart)
{
    /// <summary>numpy's magic prefix.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Data alignment numpy uses since 1.14 (ARRAY_ALIGN).</summary>
    public const int Alignment = 64;

    /// <summary>Largest header accepted; numpy itself refuses headers above 10,000 bytes by default.</summary>
    private const long MaxHeaderBytes = 1 << 20;

    /// <summary>Reads and parses the header at the start of <paramref name="stream"/>.</summary>
    public static NpyHeader Read(string path, Stream stream)
    {
        long fileLength = stream.Length;
        Span<byte> prefix = stackalloc byte[12];
        if (fileLength < 10)
            throw new InvalidDataException($"'{path}' is not an .npy file: it has only {fileLength} bytes.");
        stream.Position = 0;
        stream.ReadExactly(prefix[..10]);
        if (!prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"'{path}' is not an .npy file: it does not start with the magic \\x93NUMPY.");
        byte major = prefix[6], minor = prefix[7];
        long headerLength;
        int prefixLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            prefixLength = 10;
        }
        else if (major is 2 or 3)
        {
            if (fileLength < 12) throw new InvalidDataException($"'{path}' is truncated: its .npy {major}.{minor} header length is cut off.");
            stream.ReadExactly(prefix[10..12]);
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..12]);
            prefixLength = 12;
        }
        else
        {
            throw new InvalidDataException($"'{path}' has .npy format version {major}.{minor}; only 1.x, 2.x and 3.x are supported.");
        }
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"'{path}' has an absurd .npy header length of {headerLength} bytes.");
        if (prefixLength + headerLength > fileLength)
            throw new InvalidDataException($"'{path}' is truncated: its .npy header of {headerLength} bytes goes beyond the file's {fileLength} bytes.");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        // Version 1 and 2 headers are latin-1, version 3 is UTF-8; for the ASCII dict numpy writes they agree.
        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return Parse(path, text, prefixLength + headerLength);
    }

    private static NpyHeader Parse(string path, string text, long dataStart)
    {
        Dictionary<string, object?> dict;
        try
        {
            var parser = new PythonLiteralParser(text);
            dict = parser.ParseDictionary();
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException($"'{path}' has an unreadable .npy header ({exception.Message}): {text.Trim()}", exception);
        }
        object? descr = Required(path, dict, "descr", text);
        if (descr is not string descrText)
            throw new InvalidDataException($"'{path}' has a structured dtype {FormatValue(descr)}; only plain numeric arrays are supported.");
        if (Required(path, dict, "fortran_order", text) is not bool fortranOrder)
            throw new InvalidDataException($"'{path}' has a .npy header whose 'fortran_order' is not True or False: {text.Trim()}");
        if (Required(path, dict, "shape", text) is not List<object?> shapeItems)
            throw new InvalidDataException($"'{path}' has a .npy header whose 'shape' is not a tuple: {text.Trim()}");
        var shape = new long[shapeItems.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shapeItems[i] is not long dimension || dimension < 0)
                throw new InvalidDataException($"'{path}' has a .npy shape entry {FormatValue(shapeItems[i])} that is not a non-negative integer.");
            shape[i] = dimension;
        }
        return new NpyHeader(descrText, fortranOrder, shape, dataStart);
    }

    private static object? Required(string path, Dictionary<string, object?> dict, string key, string text) =>
        dict.TryGetValue(key, out object? value)
            ? value
            : throw new InvalidDataException($"'{path}' has a .npy header without '{key}': {text.Trim()}");

    private static string FormatValue(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        List<object?> list => "(" + string.Join(", ", list.Select(FormatValue)) + ")",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// The header bytes (magic through '\n') for a C-order array, version 1.0 when the dict fits in a
    /// u16 length, else 2.0, padded so the data starts at a multiple of 64 bytes and, when
    /// <paramref name="minimumLength"/> is given, is at least that long (so a header can be rewritten
    /// in place with a larger shape).
    /// </summary>
    public static byte[] Format(string descr, IReadOnlyList<long> shape, int minimumLength = 0)
    {
        string shapeText = shape.Count == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int prefixLength = 10;
        int total = AlignedTotal(prefixLength + dict.Length + 1, minimumLength);
        if (total - prefixLength > ushort.MaxValue)
        {
            prefixLength = 12;
            total = AlignedTotal(prefixLength + dict.Length + 1, minimumLength);
        }
        int headerLength = total - prefixLength;
        var bytes = new byte[total];
        Magic.CopyTo(bytes);
        bytes[6] = prefixLength == 10 ? (byte)1 : (byte)2;
        bytes[7] = 0;
        if (prefixLength == 10) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        Span<byte> header = bytes.AsSpan(prefixLength);
        header.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, header);
        header[^1] = (byte)'\n';
        return bytes;
    }

    private static int AlignedTotal(int needed, int minimumLength)
    {
        int total = Math.Max(needed, minimumLength);
        return (total + Alignment - 1) / Alignment * Alignment;
    }
}
