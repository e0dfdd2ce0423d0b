using System.Text;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

/// <summary>
/// Offsets beyond 4 GB: the files are sparse (SetLength allocates no blocks on Linux file systems),
/// so the test writes only a header and a few values.
/// </summary>
public sealed class LargeFileTests : IDisposable
{
    private const long RowCount = (1L << 29) + 3; // 2^30 + 6 floats: 4.3 GB of data
    private const long HugeRowCount = (1L << 30) + 3; // 2^31 + 6 floats: more than one array can hold
    private const int Width = 2;
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Npy_ReadsTheLastRowOfAFileOver4GB()
    {
        // Given a sparse .npy file with a known last row
        string path = folder.File("big.npy");
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({RowCount}, {Width}), }}";
        while ((10 + dict.Length + 1) % 64 != 0) dict += " ";
        byte[] header = [0x93, .. "NUMPY"u8, 1, 0, .. BitConverter.GetBytes((ushort)(dict.Length + 1)), .. Encoding.ASCII.GetBytes(dict + "\n")];
        long dataStart = header.Length;
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(header);
            stream.SetLength(dataStart + RowCount * Width * 4);
            stream.Position = dataStart + (RowCount - 1) * Width * 4;
            stream.Write(BitConverter.GetBytes(1.5f));
            stream.Write(BitConverter.GetBytes(-2.5f));
        }

        // When
        using var file = NpyFile.Open(path);
        var row = new float[Width * 2];
        file.ReadRows(RowCount - 2, 2, row);

        // Then
        Assert.Equal(RowCount, file.RowCount);
        Assert.Equal([0f, 0f, 1.5f, -2.5f], row);
    }

    [Fact]
    public void Safetensors_ReadsRowsOfATensorStartingBeyond4GB()
    {
        // Given a sparse file: an 8.6 GB F32 tensor, then a small one at an offset past 2^33
        string path = folder.File("big.safetensors");
        long bigBytes = HugeRowCount * Width * 4;
        string json = $"{{\"big\":{{\"dtype\":\"F32\",\"shape\":[{HugeRowCount},{Width}],\"data_offsets\":[0,{bigBytes}]}},\"tail\":{{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[{bigBytes},{bigBytes + 4}]}}}}";
        json += new string(' ', (8 - json.Length % 8) % 8);
        long dataStart = 8 + json.Length;
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(BitConverter.GetBytes((ulong)json.Length));
            stream.Write(Encoding.ASCII.GetBytes(json));
            stream.SetLength(dataStart + bigBytes + 4);
            stream.Position = dataStart + bigBytes;
            stream.Write(BitConverter.GetBytes((Half)0.5f));
            stream.Write(BitConverter.GetBytes((Half)(-3f)));
        }

        // When
        using var file = SafetensorsFile.Open(path);

        // Then
        Assert.Equal([0.5f, -3f], file.ReadFloat32("tail"));
        var lastRow = new float[Width];
        file.ReadFloat32Rows("big", HugeRowCount - 1, 1, lastRow);
        Assert.Equal([0f, 0f], lastRow);
        Assert.Throws<InvalidDataException>(() => file.ReadFloat32("big"));
    }
}
