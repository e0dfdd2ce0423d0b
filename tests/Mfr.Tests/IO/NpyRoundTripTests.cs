using Mfr.IO;
using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

public sealed class NpyRoundTripTests
{
    private static float[] Random(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var values = new float[count];
        rng.FillGaussian(values);
        return values;
    }

    [Theory]
    [InlineData(new long[] { 6, 4 })]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    [InlineData(new long[] { })]
    [InlineData(new long[] { 0, 3 })]
    public void WriteThenOpen_GivesSameShapeAndValues(long[] shape)
    {
        // Given
        using var folder = new TemporaryDirectory();
        string path = folder.File("a.npy");
        int count = (int)shape.Aggregate(1L, (a, b) => a * b);
        float[] values = Random(count, 11);

        // When
        NpyWriter.Write(path, shape, values);
        using var file = NpyFile.Open(path);

        // Then
        Assert.Equal(shape, file.Shape);
        Assert.Equal("<f4", file.DType);
        Assert.Equal(values, file.ReadAll());
        Assert.Equal(shape.Length == 0 ? 1 : shape[0], file.RowCount);
        Assert.Equal((int)shape.Skip(1).Aggregate(1L, (a, b) => a * b), file.RowLength);
    }

    [Fact]
    public void Write_AlignsDataTo64Bytes()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("a.npy");
        NpyWriter.Write(path, [3, 2], new float[6]);

        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);

        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        Assert.Equal(10 + headerLength + 24, bytes.Length);
    }

    [Fact]
    public void ReadRows_ReadsTheRequestedRows()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("a.npy");
        float[] values = Random(10 * 3, 12);
        NpyWriter.Write(path, [10, 3], values);
        using var file = NpyFile.Open(path);
        var destination = new float[4 * 3];

        file.ReadRows(5, 4, destination);

        Assert.Equal(values.AsSpan(15, 12).ToArray(), destination);
    }

    [Fact]
    public void ReadRows_OutsideTheArray_Throws()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("a.npy");
        NpyWriter.Write(path, [10, 3], new float[30]);
        using var file = NpyFile.Open(path);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadRows(8, 3, new float[9]));
        Assert.Throws<ArgumentException>(() => file.ReadRows(0, 3, new float[8]));
    }

    [Fact]
    public void StreamWriter_AppendsRowsAndPatchesHeaderOnComplete()
    {
        // Given rows appended in uneven blocks
        using var folder = new TemporaryDirectory();
        string path = folder.File("s.npy");
        float[] values = Random(7 * 5, 13);
        using (var writer = new NpyStreamWriter(path, 5))
        {
            writer.Append(values.AsSpan(0, 10));
            writer.Append(ReadOnlySpan<float>.Empty);
            writer.Append(values.AsSpan(10, 25));
            Assert.Equal(7, writer.RowCount);
            Assert.False(File.Exists(path));

            // When
            writer.Complete();
        }

        // Then
        using var file = NpyFile.Open(path);
        Assert.Equal([7L, 5L], file.Shape);
        Assert.Equal(values, file.ReadAll());
        Assert.Equal(["s.npy"], folder.FileNames());
    }

    [Fact]
    public void StreamWriter_DisposedWithoutComplete_LeavesOldFileAndNoTemporary()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("s.npy");
        NpyWriter.Write(path, [1, 2], new float[] { 1, 2 });

        using (var writer = new NpyStreamWriter(path, 2))
        {
            writer.Append(new float[] { 3, 4, 5, 6 });
        }

        using var file = NpyFile.Open(path);
        Assert.Equal([1f, 2f], file.ReadAll());
        Assert.Equal(["s.npy"], folder.FileNames());
    }

    [Fact]
    public void StreamWriter_RejectsPartialRows()
    {
        using var folder = new TemporaryDirectory();
        using var writer = new NpyStreamWriter(folder.File("s.npy"), 4);

        Assert.Throws<ArgumentException>(() => writer.Append(new float[6]));
    }

    [Fact]
    public void LongHeader_UsesVersion2AndStillAligns()
    {
        // Given a header padded beyond what a version 1.0 u16 length can hold
        using var folder = new TemporaryDirectory();
        string path = folder.File("v2.npy");
        byte[] header = NpyHeader.Format("<f4", [2, 2], minimumLength: 70_000);
        File.WriteAllBytes(path, [.. header, .. new float[] { 1, 2, 3, 4 }.SelectMany(BitConverter.GetBytes)]);

        // When
        using var file = NpyFile.Open(path);

        // Then
        Assert.Equal(2, header[6]);
        Assert.Equal(0, header.Length % 64);
        Assert.True(header.Length >= 70_000);
        Assert.Equal([1f, 2, 3, 4], file.ReadAll());
    }
}
