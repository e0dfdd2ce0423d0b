using Mfr.IO;
using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

public sealed class SafetensorsRoundTripTests
{
    private static float[] Random(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var values = new float[count];
        rng.FillGaussian(values);
        return values;
    }

    [Fact]
    public void WriteThenOpen_GivesSameNamesOrderShapesValuesAndMetadata()
    {
        // Given SAELens-style tensors in a deliberately non-alphabetical order
        using var folder = new TemporaryDirectory();
        string path = folder.File("sae.safetensors");
        float[] encoder = Random(5 * 7, 1), encoderBias = Random(7, 2), decoder = Random(7 * 5, 3), decoderBias = Random(5, 4);
        var tensors = new[]
        {
            new NamedTensor("W_enc", [5, 7], encoder),
            new NamedTensor("b_enc", [7], encoderBias),
            new NamedTensor("W_dec", [7, 5], decoder),
            new NamedTensor("b_dec", [5], decoderBias),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" };

        // When
        SafetensorsWriter.Write(path, tensors, metadata);
        using var file = SafetensorsFile.Open(path);

        // Then
        Assert.Equal(["W_enc", "b_enc", "W_dec", "b_dec"], file.TensorNames);
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal([5L, 7L], file.GetInfo("W_enc").Shape);
        Assert.Equal([7L], file.GetInfo("b_enc").Shape);
        Assert.Equal("F32", file.GetInfo("W_dec").DType);
        Assert.Equal(encoder, file.ReadFloat32("W_enc"));
        Assert.Equal(encoderBias, file.ReadFloat32("b_enc"));
        Assert.Equal(decoder, file.ReadFloat32("W_dec"));
        Assert.Equal(decoderBias, file.ReadFloat32("b_dec"));
    }

    [Fact]
    public void Write_PadsHeaderToMultipleOf8_AndAlignsEveryTensor()
    {
        // Given names of lengths that leave the raw JSON at every residue mod 8
        using var folder = new TemporaryDirectory();
        for (int nameLength = 1; nameLength <= 8; nameLength++)
        {
            string path = folder.File($"t{nameLength}.safetensors");
            SafetensorsWriter.Write(path, [new NamedTensor(new string('a', nameLength), [3], new float[] { 1, 2, 3 })]);

            // When
            byte[] bytes = File.ReadAllBytes(path);
            ulong headerLength = BitConverter.ToUInt64(bytes, 0);

            // Then
            Assert.Equal(0UL, headerLength % 8);
            Assert.Equal((byte)'{', bytes[8]);
            Assert.Equal(8 + (long)headerLength + 12, bytes.Length);
        }
    }

    [Fact]
    public void ReadFloat32IntoSpan_WritesWholeTensor()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("x.safetensors");
        float[] values = Random(24, 5);
        SafetensorsWriter.Write(path, [new NamedTensor("x", [2, 3, 4], values)]);
        using var file = SafetensorsFile.Open(path);
        var destination = new float[24];

        file.ReadFloat32("x", destination);

        Assert.Equal(values, destination);
    }

    [Fact]
    public void ReadFloat32Rows_ReadsRowsOfFlattenedTrailingDimensions()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("x.safetensors");
        float[] values = Random(24, 6);
        SafetensorsWriter.Write(path, [new NamedTensor("pad", [1], new float[] { 9 }), new NamedTensor("x", [4, 3, 2], values)]);
        using var file = SafetensorsFile.Open(path);
        var destination = new float[2 * 6];

        file.ReadFloat32Rows("x", 1, 2, destination);

        Assert.Equal(values.AsSpan(6, 12).ToArray(), destination);
    }

    [Fact]
    public void EmptyFileAndEmptyTensors_RoundTrip()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("empty.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("none", [0, 4], ReadOnlyMemory<float>.Empty), new NamedTensor("scalar", [], new float[] { 2.5f })]);

        using var file = SafetensorsFile.Open(path);

        Assert.Empty(file.ReadFloat32("none"));
        Assert.Equal([2.5f], file.ReadFloat32("scalar"));
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Write_ReplacesExistingFileAndLeavesNoTemporaryFile()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("x.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("a", [1], new float[] { 1 })]);

        SafetensorsWriter.Write(path, [new NamedTensor("b", [1], new float[] { 2 })]);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["b"], file.TensorNames);
        Assert.Equal(["x.safetensors"], folder.FileNames());
    }

    [Theory]
    [InlineData("dup")]
    [InlineData("__metadata__")]
    [InlineData("")]
    public void Write_RejectsBadNames(string name)
    {
        using var folder = new TemporaryDirectory();
        var tensors = new[] { new NamedTensor("dup", [1], new float[] { 1 }), new NamedTensor(name, [1], new float[] { 2 }) };

        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(folder.File("x.safetensors"), tensors));
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void Write_RejectsShapeThatDoesNotMatchData()
    {
        using var folder = new TemporaryDirectory();

        var exception = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(folder.File("x.safetensors"), [new NamedTensor("w", [2, 3], new float[5])]));

        Assert.Contains("'w'", exception.Message);
        Assert.Contains("[2, 3]", exception.Message);
    }

    [Fact]
    public void RequireShape_PassesOnMatchAndNamesBothShapesOnMismatch()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("sae.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("W_enc", [4, 6], new float[24])]);
        using var file = SafetensorsFile.Open(path);

        Assert.Equal("W_enc", file.RequireShape("W_enc", 4, 6).Name);
        var exception = Assert.Throws<InvalidDataException>(() => file.RequireShape("W_enc", 4, 8));

        Assert.Contains("[4, 6]", exception.Message);
        Assert.Contains("[4, 8]", exception.Message);
    }

    [Fact]
    public void Dispose_ThenRead_IsObjectDisposed()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("x.safetensors");
        SafetensorsWriter.Write(path, [new NamedTensor("x", [2], new float[] { 1, 2 })]);
        var file = SafetensorsFile.Open(path);

        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.ReadFloat32("x"));
    }
}
