using System.Text.Json;
using Mfr.IO;

namespace Mfr.Tests.IO;

/// <summary>
/// Reads files written by numpy and by a struct+json script (tools/golden/io_make_golden.py) and
/// compares with the float32 values numpy / torch computed, bit for bit.
/// </summary>
public sealed class GoldenFileTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "IO");

    private static (long[] Shape, float[] Values) Expected(string key)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected.json")));
        JsonElement entry = document.RootElement.GetProperty(key);
        long[] shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        float[] values = entry.GetProperty("bits").EnumerateArray().Select(e => BitConverter.UInt32BitsToSingle(e.GetUInt32())).ToArray();
        return (shape, values);
    }

    [Theory]
    [InlineData("f32_2d.npy", "<f4")]
    [InlineData("f32_1d.npy", "<f4")]
    [InlineData("f32_3d.npy", "<f4")]
    [InlineData("f16_2d.npy", "<f2")]
    [InlineData("f64_2d.npy", "<f8")]
    [InlineData("f32_v2.npy", "<f4")]
    [InlineData("f16_v3.npy", "<f2")]
    public void NpyFromNumpy_ReadsShapeAndExactValues(string name, string descr)
    {
        // Given
        (long[] shape, float[] expected) = Expected(name);

        // When
        using var file = NpyFile.Open(Path.Combine(Folder, name));
        var rows = new float[file.RowCount * file.RowLength];
        file.ReadRows(0, (int)file.RowCount, rows);

        // Then
        Assert.Equal(shape, file.Shape);
        Assert.Equal(descr, file.DType);
        Assert.Equal(shape[0], file.RowCount);
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), rows.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void NpyOneDimensional_IsRowsOfLengthOne()
    {
        using var file = NpyFile.Open(Path.Combine(Folder, "f32_1d.npy"));

        Assert.Equal(7, file.RowCount);
        Assert.Equal(1, file.RowLength);
    }

    [Fact]
    public void NpyThreeDimensional_RowIsProductOfTrailingDimensions()
    {
        using var file = NpyFile.Open(Path.Combine(Folder, "f32_3d.npy"));

        Assert.Equal(2, file.RowCount);
        Assert.Equal(12, file.RowLength);
    }

    [Theory]
    [InlineData("f32_fortran.npy", "Fortran")]
    [InlineData("f32_bigendian.npy", "'>f4'")]
    [InlineData("structured.npy", "structured")]
    public void NpyUnsupportedLayouts_AreRefusedClearly(string name, string reason)
    {
        string path = Path.Combine(Folder, name);

        var exception = Assert.Throws<InvalidDataException>(() => NpyFile.Open(path));

        Assert.Contains(reason, exception.Message);
        Assert.Contains(name, exception.Message);
    }

    [Fact]
    public void SafetensorsFromScript_ListsTensorsInOffsetOrderWithMetadata()
    {
        using var file = SafetensorsFile.Open(Path.Combine(Folder, "golden.safetensors"));

        Assert.Equal(["layer.weight", "half_vector", "brain"], file.TensorNames);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("io_make_golden.py", file.Metadata["source"]);
        Assert.Equal(2, file.Metadata.Count);
    }

    [Theory]
    [InlineData("layer.weight", "F32")]
    [InlineData("half_vector", "F16")]
    [InlineData("brain", "BF16")]
    public void SafetensorsFromScript_ReadsExactValues(string tensor, string dtype)
    {
        // Given
        (long[] shape, float[] expected) = Expected("golden.safetensors:" + tensor);
        using var file = SafetensorsFile.Open(Path.Combine(Folder, "golden.safetensors"));

        // When
        TensorInfo info = file.GetInfo(tensor);
        float[] values = file.ReadFloat32(tensor);

        // Then
        Assert.Equal(dtype, info.DType);
        Assert.Equal(shape, info.Shape);
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), values.Select(BitConverter.SingleToUInt32Bits));
    }
}
