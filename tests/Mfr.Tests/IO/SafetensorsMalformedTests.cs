using System.Text;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

/// <summary>Every kind of broken safetensors file is an InvalidDataException naming the file and the problem.</summary>
public sealed class SafetensorsMalformedTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Builds a file from a header text and a data section of <paramref name="dataBytes"/> bytes.</summary>
    private string Build(string header, int dataBytes, string name = "bad.safetensors")
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)json.Length);
        json.CopyTo(bytes, 8);
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string OpenFails(string path)
    {
        var exception = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(Path.GetFileName(path), exception.Message);
        return exception.Message;
    }

    [Fact]
    public void Valid_BuiltFileOpens()
    {
        // Guards the builder: the malformed cases below fail for their own reason, not the builder's.
        string path = Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[3],"data_offsets":[8,14]}}""", 14);

        using var file = SafetensorsFile.Open(path);

        Assert.Equal(["a", "b"], file.TensorNames);
    }

    [Fact]
    public void ShorterThan8Bytes()
    {
        string path = folder.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Contains("3 bytes", OpenFails(path));
    }

    [Fact]
    public void HeaderLengthBeyondFile()
    {
        string path = Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8);
        byte[] bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)bytes.Length);
        File.WriteAllBytes(path, bytes);

        Assert.Contains("beyond", OpenFails(path));
    }

    [Fact]
    public void HeaderLengthAbsurd()
    {
        string path = folder.File("huge.safetensors");
        var bytes = new byte[64];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), ulong.MaxValue - 5);
        File.WriteAllBytes(path, bytes);

        Assert.Contains("absurd", OpenFails(path));
    }

    [Fact]
    public void InvalidJson() =>
        Assert.Contains("JSON", OpenFails(Build("""{"a":{"dtype":"F32",""", 0)));

    [Fact]
    public void JsonNotAnObject() =>
        Assert.Contains("instead of an object", OpenFails(Build("[1, 2]", 0)));

    [Theory]
    [InlineData("dtype")]
    [InlineData("shape")]
    [InlineData("data_offsets")]
    public void MissingField(string field)
    {
        var fields = new Dictionary<string, string> { ["dtype"] = "\"dtype\":\"F32\"", ["shape"] = "\"shape\":[2]", ["data_offsets"] = "\"data_offsets\":[0,8]" };
        fields.Remove(field);

        string message = OpenFails(Build("{\"w\":{" + string.Join(",", fields.Values) + "}}", 8));

        Assert.Contains($"no \"{field}\"", message);
        Assert.Contains("'w'", message);
    }

    [Fact]
    public void UnknownDtype() =>
        Assert.Contains("unknown dtype 'F17'", OpenFails(Build("""{"a":{"dtype":"F17","shape":[2],"data_offsets":[0,8]}}""", 8)));

    [Fact]
    public void BeginAfterEnd() =>
        Assert.Contains("begin > end", OpenFails(Build("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", 8)));

    [Fact]
    public void TruncatedData() =>
        Assert.Contains("truncated", OpenFails(Build("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 10)));

    [Fact]
    public void ByteCountDoesNotMatchShape() =>
        Assert.Contains("needs 12", OpenFails(Build("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}""", 16)));

    [Fact]
    public void OverlappingTensors()
    {
        string message = OpenFails(Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12));

        Assert.Contains("overlap", message);
        Assert.Contains("'a'", message);
        Assert.Contains("'b'", message);
    }

    [Fact]
    public void GapBetweenTensors() =>
        Assert.Contains("belong to no tensor", OpenFails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12)));

    [Fact]
    public void TrailingBytes() =>
        Assert.Contains("trailing", OpenFails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8)));

    [Fact]
    public void NegativeOrFractionalShape() =>
        Assert.Contains("non-negative integer", OpenFails(Build("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4)));

    [Fact]
    public void MetadataValueNotString() =>
        Assert.Contains("not a string", OpenFails(Build("""{"__metadata__":{"epochs":3},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4)));

    [Fact]
    public void DuplicateTensorName() =>
        Assert.Contains("twice", OpenFails(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8)));

    [Fact]
    public void UnknownTensorName_ListsTheTensorsThereAre()
    {
        string path = Build("""{"alpha":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"beta":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8);
        using var file = SafetensorsFile.Open(path);

        var exception = Assert.Throws<InvalidDataException>(() => file.ReadFloat32("gamma"));

        Assert.Contains("'gamma'", exception.Message);
        Assert.Contains("alpha, beta", exception.Message);
        Assert.Contains("bad.safetensors", exception.Message);
    }

    [Fact]
    public void UnreadableDtype_IsListedButReadingThrows()
    {
        string path = Build("""{"mask":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", 4);
        using var file = SafetensorsFile.Open(path);

        Assert.Equal("U8", file.GetInfo("mask").DType);
        var exception = Assert.Throws<InvalidDataException>(() => file.ReadFloat32("mask"));

        Assert.Contains("U8", exception.Message);
    }

    [Fact]
    public void MissingFile_IsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(folder.File("absent.safetensors")));
}
