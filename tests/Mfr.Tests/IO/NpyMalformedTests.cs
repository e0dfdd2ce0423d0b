using System.Text;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

/// <summary>Broken or unusual .npy files: clear InvalidDataExceptions, and robust header parsing.</summary>
public sealed class NpyMalformedTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>A version 1.0 file with the given dict text (padded with spaces and '\n') and data bytes.</summary>
    private string Build(string dict, int dataBytes, string name = "bad.npy")
    {
        string header = dict;
        while ((10 + header.Length + 1) % 64 != 0) header += " ";
        header += "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0]);
        bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        for (int i = 0; i < dataBytes / 4; i++) bytes.AddRange(BitConverter.GetBytes((float)i));
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static string OpenFails(string path)
    {
        var exception = Assert.Throws<InvalidDataException>(() => NpyFile.Open(path).Dispose());
        Assert.Contains(Path.GetFileName(path), exception.Message);
        return exception.Message;
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(2,3)}")]
    [InlineData("{ \"shape\" : ( 2 , 3 , ) ,  'fortran_order' : False , 'descr' : '<f4' , }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}")]
    public void HeaderVariants_AreParsed(string dict)
    {
        using var file = NpyFile.Open(Build(dict, 24));

        Assert.Equal([2L, 3L], file.Shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5], file.ReadAll());
    }

    [Fact]
    public void OneElementTuple_IsOneDimensional()
    {
        using var file = NpyFile.Open(Build("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", 20));

        Assert.Equal([5L], file.Shape);
        Assert.Equal(5, file.RowCount);
        Assert.Equal(1, file.RowLength);
    }

    [Fact]
    public void TruncatedData() =>
        Assert.Contains("truncated", OpenFails(Build("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }", 40)));

    [Fact]
    public void ExtraData() =>
        Assert.Contains("after the data", OpenFails(Build("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 28)));

    [Fact]
    public void BadMagic()
    {
        string path = folder.File("text.npy");
        File.WriteAllText(path, "this is not an npy file at all");

        Assert.Contains("magic", OpenFails(path));
    }

    [Fact]
    public void TooShort()
    {
        string path = folder.File("tiny.npy");
        File.WriteAllBytes(path, [0x93, (byte)'N']);

        Assert.Contains("2 bytes", OpenFails(path));
    }

    [Fact]
    public void HeaderLengthBeyondFile()
    {
        string path = Build("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        byte[] bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 2), (ushort)60000);
        File.WriteAllBytes(path, bytes);

        Assert.Contains("truncated", OpenFails(path));
    }

    [Fact]
    public void UnknownVersion()
    {
        string path = Build("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[6] = 9;
        File.WriteAllBytes(path, bytes);

        Assert.Contains("version 9.0", OpenFails(path));
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ", "expected")]
    [InlineData("{'descr': '<f4', 'shape': (2, 3), }", "'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }", "True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", "non-negative")]
    [InlineData("{'descr': '<U8', 'fortran_order': False, 'shape': (2, 3), }", "'<U8'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } junk", "after the dict")]
    public void BadHeaders(string dict, string expectedText) =>
        Assert.Contains(expectedText, OpenFails(Build(dict, 24)));

    [Fact]
    public void MissingFile_IsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => NpyFile.Open(folder.File("absent.npy")));
}
