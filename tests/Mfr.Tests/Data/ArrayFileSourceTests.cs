using Mfr.Data;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Data;

public sealed class ArrayFileSourceTests : IDisposable
{
    private const int Width = 3;
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>An .npy file of rowCount rows where row r holds r*Width .. r*Width + Width - 1.</summary>
    private string RowNumberedNpy(long rowCount, string name = "rows.npy")
    {
        string path = folder.File(name);
        float[] values = Enumerable.Range(0, (int)(rowCount * Width)).Select(i => (float)i).ToArray();
        NpyWriter.Write(path, [rowCount, Width], values);
        return path;
    }

    /// <summary>The file rows a batch holds, checking each row is intact.</summary>
    private static long[] Rows(ArrayFileSource source, long batchIndex, int batchSize)
    {
        var batch = new float[batchSize * source.Dimension];
        source.ReadBatch(batchIndex, batchSize, batch);
        var rows = new long[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            rows[i] = (long)batch[i * Width] / Width;
            for (int c = 0; c < Width; c++) Assert.Equal(rows[i] * Width + c, batch[i * Width + c]);
        }
        return rows;
    }

    private static ArrayFileSourceOptions Options(string path) => new() { Path = path, Seed = 17, ChunkRows = 16, WindowChunks = 3 };

    [Fact]
    public void Properties_DescribeTheRange()
    {
        using var source = new ArrayFileSource(Options(RowNumberedNpy(100)) with { StartRow = 10, EndRow = 60 });

        Assert.Equal(Width, source.Dimension);
        Assert.Equal(50, source.VectorCount);
        Assert.Contains("rows.npy", source.Description);
        Assert.Contains("[10, 60)", source.Description);
    }

    [Fact]
    public void Shuffled_SameBatchIndexGivesSameData_WhateverTheRequestOrder()
    {
        // Given two sources over the same file with the same seed
        string path = RowNumberedNpy(203);
        using var first = new ArrayFileSource(Options(path));
        using var second = new ArrayFileSource(Options(path));

        // When one reads batches 0..19 forwards and the other backwards (crossing epochs)
        long[][] forward = Enumerable.Range(0, 20).Select(i => Rows(first, i, 37)).ToArray();
        var backward = new long[20][];
        for (int i = 19; i >= 0; i--) backward[i] = Rows(second, i, 37);

        // Then
        for (int i = 0; i < 20; i++) Assert.Equal(forward[i], backward[i]);
    }

    [Fact]
    public void Shuffled_EveryRowOncePerEpoch_AndEpochsDiffer()
    {
        // Given 203 rows read in batches of 7 (29 batches per epoch)
        using var source = new ArrayFileSource(Options(RowNumberedNpy(203)));

        // When
        long[] epoch0 = Enumerable.Range(0, 29).SelectMany(i => Rows(source, i, 7)).ToArray();
        long[] epoch1 = Enumerable.Range(29, 29).SelectMany(i => Rows(source, i, 7)).ToArray();

        // Then
        Assert.Equal(Enumerable.Range(0, 203).Select(r => (long)r), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, 203).Select(r => (long)r), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
    }

    [Fact]
    public void Shuffled_DifferentSeedsGiveDifferentBatches()
    {
        string path = RowNumberedNpy(100);
        using var a = new ArrayFileSource(Options(path));
        using var b = new ArrayFileSource(Options(path) with { Seed = 18 });

        Assert.NotEqual(Rows(a, 0, 20), Rows(b, 0, 20));
    }

    [Fact]
    public void Shuffled_RowRangeIsRespected()
    {
        using var source = new ArrayFileSource(Options(RowNumberedNpy(300)) with { StartRow = 100, EndRow = 250 });

        long[] epoch = Enumerable.Range(0, 15).SelectMany(i => Rows(source, i, 10)).ToArray();

        Assert.Equal(Enumerable.Range(100, 150).Select(r => (long)r), epoch.Order());
    }

    [Fact]
    public void Sequential_BatchIHoldsRowsIBToIBPlusB_WrappingAtTheEnd()
    {
        using var source = new ArrayFileSource(Options(RowNumberedNpy(50)) with { Order = ArrayFileOrder.Sequential, StartRow = 5, EndRow = 25 });

        Assert.Equal([5L, 6, 7, 8, 9, 10, 11, 12], Rows(source, 0, 8));
        Assert.Equal([21L, 22, 23, 24, 5, 6, 7, 8], Rows(source, 2, 8));
        Assert.Equal(Enumerable.Range(0, 45).Select(i => 5L + (i % 20)), Rows(source, 0, 45));
    }

    [Fact]
    public void NonFiniteValue_IsReportedWithFileAndRow()
    {
        // Given a file with a NaN in row 37
        string path = folder.File("nan.npy");
        float[] values = new float[100 * Width];
        values[37 * Width + 2] = float.NaN;
        NpyWriter.Write(path, [100, Width], values);
        using var sequential = new ArrayFileSource(Options(path) with { Order = ArrayFileOrder.Sequential });
        using var shuffled = new ArrayFileSource(Options(path));
        var batch = new float[100 * Width];

        // When a batch contains the row, Then
        Assert.Contains("row 37", Assert.Throws<InvalidDataException>(() => sequential.ReadBatch(1, 20, batch.AsSpan(0, 20 * Width))).Message);
        var exception = Assert.Throws<InvalidDataException>(() => shuffled.ReadBatch(0, 100, batch));
        Assert.Contains("row 37", exception.Message);
        Assert.Contains("nan.npy", exception.Message);
        sequential.ReadBatch(0, 20, batch.AsSpan(0, 20 * Width));
    }

    [Fact]
    public void NonFiniteValue_IsPassedThroughWhenCheckingIsOff()
    {
        string path = folder.File("inf.npy");
        NpyWriter.Write(path, [2, Width], [0, 0, float.PositiveInfinity, 0, 0, 0]);
        using var source = new ArrayFileSource(Options(path) with { Order = ArrayFileOrder.Sequential, CheckFinite = false });
        var batch = new float[2 * Width];

        source.ReadBatch(0, 2, batch);

        Assert.Equal(float.PositiveInfinity, batch[2]);
    }

    [Fact]
    public void Safetensors_NamedTensorIsFlattenedToRows_AndHalfIsConverted()
    {
        // Given a safetensors file with two tensors, the second [4, 2, 3] (row length 6)
        string path = folder.File("acts.safetensors");
        float[] values = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        SafetensorsWriter.Write(path, [new NamedTensor("other", [1], new float[] { 9 }), new NamedTensor("acts", [4, 2, 3], values)]);
        using var source = new ArrayFileSource(Options(path) with { TensorName = "acts", Order = ArrayFileOrder.Sequential });
        var batch = new float[2 * 6];

        // When
        source.ReadBatch(1, 2, batch);

        // Then
        Assert.Equal(6, source.Dimension);
        Assert.Equal(values.AsSpan(12, 12).ToArray(), batch);
    }

    [Fact]
    public void Safetensors_SeveralTensorsAndNoName_AsksForOne()
    {
        string path = folder.File("two.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("a", [1], new float[] { 1 }), new NamedTensor("b", [1], new float[] { 2 })]);

        var exception = Assert.Throws<ArgumentException>(() => new ArrayFileSource(Options(path)));

        // The flag a user can reach, and the names to choose from (issue 13, class 8)
        Assert.Contains("--tensor", exception.Message);
        Assert.Contains("(a, b)", exception.Message);
    }

    [Fact]
    public void OneDimensionalArray_IsRefused_SayingWhichShapeIsExpected()
    {
        // Given a 1-D .npy (issue 13, class 2: it used to train as d = 1)
        string path = folder.File("flat.npy");
        NpyWriter.Write(path, [12], new float[12]);

        var exception = Assert.Throws<InvalidDataException>(() => new ArrayFileSource(Options(path)));

        Assert.Contains("flat.npy", exception.Message);
        Assert.Contains("(12,)", exception.Message);
        Assert.Contains("[n, d]", exception.Message);
    }

    [Theory]
    [InlineData("empty.npy", 0, ".npy")]
    [InlineData("noise.npy", 64, ".npy")]
    [InlineData("empty.safetensors", 0, "safetensors")]
    public void DamagedFile_IsReportedAsTheFormatItsExtensionNames(string name, int length, string format)
    {
        // Given a file of zero or random bytes (issue 13, class 8: an .npy used to be called "not a safetensors file")
        string path = folder.File(name);
        var bytes = new byte[length];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var exception = Assert.Throws<InvalidDataException>(() => new ArrayFileSource(Options(path)));

        Assert.Contains(name, exception.Message);
        Assert.Contains(format, exception.Message);
        if (format == ".npy") Assert.DoesNotContain("safetensors", exception.Message);
    }

    [Fact]
    public void AFileOfNeitherFormat_WithAnotherExtension_IsCalledNeither()
    {
        // Given a JSON config given as --data by mistake (no .npy magic, so it is read as safetensors)
        string path = folder.File("config.json");
        File.WriteAllText(path, "{\"training\": {\"batchSize\": 32}}");

        var exception = Assert.Throws<InvalidDataException>(() => new ArrayFileSource(Options(path)));

        // Then the message says it is neither format, and still why the safetensors reading failed
        Assert.StartsWith($"'{path}' is neither an .npy file (no .npy magic) nor a safetensors file (header length ", exception.Message);
        Assert.DoesNotContain("not a valid safetensors", exception.Message);
    }

    [Fact]
    public void HalfPrecisionNpyFromNumpy_IsConverted()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "IO", "f16_v3.npy");
        using var npy = NpyFile.Open(path);
        float[] expected = npy.ReadAll();
        using var source = new ArrayFileSource(new ArrayFileSourceOptions { Path = path, Order = ArrayFileOrder.Sequential });
        var batch = new float[expected.Length];

        source.ReadBatch(0, (int)npy.RowCount, batch);

        Assert.Equal(expected, batch);
    }

    [Fact]
    public void ParallelReads_MatchSerialReads()
    {
        string path = RowNumberedNpy(500);
        using var serial = new ArrayFileSource(Options(path));
        using var parallel = new ArrayFileSource(Options(path));
        long[][] expected = Enumerable.Range(0, 40).Select(i => Rows(serial, i, 33)).ToArray();
        var actual = new long[40][];

        Parallel.For(0, 40, i => actual[i] = Rows(parallel, i, 33));

        for (int i = 0; i < 40; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void RowRangeOutsideFile_IsRejected()
    {
        string path = RowNumberedNpy(10);

        Assert.Contains("10 rows", Assert.Throws<ArgumentException>(() => new ArrayFileSource(Options(path) with { EndRow = 11 })).Message);
        Assert.Throws<ArgumentException>(() => new ArrayFileSource(Options(path) with { StartRow = 10 }));
    }

    [Fact]
    public void WrongDestinationLength_IsRejected()
    {
        using var source = new ArrayFileSource(Options(RowNumberedNpy(10)));

        Assert.Throws<ArgumentException>(() => source.ReadBatch(0, 2, new float[5]));
    }

    public static TheoryData<ArrayFileSourceOptions> BadOptions() => new()
    {
        new ArrayFileSourceOptions { Path = "" },
        new ArrayFileSourceOptions { Path = "x.npy", StartRow = -1 },
        new ArrayFileSourceOptions { Path = "x.npy", StartRow = 5, EndRow = 5 },
        new ArrayFileSourceOptions { Path = "x.npy", ChunkRows = 0 },
        new ArrayFileSourceOptions { Path = "x.npy", WindowChunks = 0 },
        new ArrayFileSourceOptions { Path = "x.npy", ChunkRows = 1 << 20, WindowChunks = 1 << 10 },
        new ArrayFileSourceOptions { Path = "x.npy", Order = (ArrayFileOrder)7 },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_RejectsBadValues(ArrayFileSourceOptions options) =>
        Assert.Throws<ArgumentException>(options.Validate);

    [Fact]
    public void AFolder_IsRefusedAsAFolder()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new ArrayFileSource(Options(folder.Path)));

        Assert.Equal($"Vector file '{folder.Path}' is a folder; give the .npy or .safetensors file in it.", error.Message);
    }

    [Fact]
    public void MissingFile_IsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => new ArrayFileSource(Options(folder.File("absent.npy"))));
}
