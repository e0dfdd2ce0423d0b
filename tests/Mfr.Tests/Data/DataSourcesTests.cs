using Mfr.Tests.TestSupport;
using Mfr.Data;
using Mfr.IO;

namespace Mfr.Tests.Data;

/// <summary>Issue 13, class 5: the data and held-out files are checked before any compute is spent.</summary>
public sealed class DataSourcesTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private string Npy(string name, long rows, int width, Action<float[]>? edit = null)
    {
        var values = new float[rows * width];
        new Mfr.Numerics.Rng(5).FillGaussian(values);
        edit?.Invoke(values);
        NpyWriter.Write(folder.File(name), [rows, width], values);
        return folder.File(name);
    }

    [Fact]
    public void Check_OfAGoodFileAndHeldOutFile_ReturnsTheDimension()
    {
        var specification = new DataSpecification("file", Path: Npy("train.npy", 40, 6), HeldOutPath: Npy("heldout.npy", 10, 6));

        Assert.Equal(6, DataSources.Check(specification));
    }

    [Fact]
    public void Check_RefusesAHeldOutFileOfAnotherWidth_NamingBothFiles()
    {
        var specification = new DataSpecification("file", Path: Npy("train.npy", 40, 6), HeldOutPath: Npy("heldout.npy", 10, 5));

        var exception = Assert.Throws<InvalidDataException>(() => DataSources.Check(specification));

        Assert.Contains("heldout.npy", exception.Message);
        Assert.Contains("d = 5", exception.Message);
        Assert.Contains("d = 6", exception.Message);
    }

    [Fact]
    public void Check_RefusesAMissingHeldOutFile()
    {
        var specification = new DataSpecification("file", Path: Npy("train.npy", 40, 6), HeldOutPath: folder.File("missing.npy"));

        var exception = Assert.Throws<FileNotFoundException>(() => DataSources.Check(specification));

        Assert.Contains("missing.npy", exception.Message);
    }

    [Fact]
    public void Validate_RefusesATensorNameForAnNpyDataFile_WhichWouldIgnoreIt()
    {
        var specification = new DataSpecification("file", Path: Npy("train.npy", 40, 6), TensorName: "acts");

        var exception = Assert.Throws<ArgumentException>(specification.Validate);

        Assert.StartsWith("--tensor acts names a tensor of a .safetensors file, but the data file ", exception.Message);
    }

    [Fact]
    public void Validate_RefusesAFolderAsTheDataFile_SayingItIsAFolder()
    {
        // Given --data naming the folder the vectors are in, not the file
        var specification = new DataSpecification("file", Path: folder.Path);

        var exception = Assert.Throws<FileNotFoundException>(specification.Validate);

        Assert.Equal($"Data file {folder.Path} is a folder; give the .npy or .safetensors file in it.", exception.Message);
    }

    [Theory]
    [InlineData("train.npy")]
    [InlineData("heldout.npy")]
    public void Check_ReadsTheLastRow_AndRefusesANaNThere(string broken)
    {
        // Given a NaN in the last value of one of the files
        string train = Npy("train.npy", 40, 6, broken == "train.npy" ? v => v[^1] = float.NaN : null);
        string heldOut = Npy("heldout.npy", 10, 6, broken == "heldout.npy" ? v => v[^1] = float.NaN : null);

        var exception = Assert.Throws<InvalidDataException>(() => DataSources.Check(new DataSpecification("file", Path: train, HeldOutPath: heldOut)));

        Assert.Contains(broken, exception.Message);
        Assert.Contains("NaN", exception.Message);
    }

    [Fact]
    public void Check_RefusesAHeldOutFileWithTheWrongDType()
    {
        string heldOut = folder.File("heldout.npy");
        NpyWriter.Write(heldOut, [4, 6], new float[24]);
        var bytes = File.ReadAllBytes(heldOut);
        int descr = System.Text.Encoding.ASCII.GetString(bytes).IndexOf("<f4", StringComparison.Ordinal);
        bytes[descr + 1] = (byte)'c'; // '<c4': complex, not readable as vectors
        File.WriteAllBytes(heldOut, bytes);

        var exception = Assert.Throws<InvalidDataException>(() => DataSources.Check(new DataSpecification("file", Path: Npy("train.npy", 40, 6), HeldOutPath: heldOut)));

        Assert.Contains("heldout.npy", exception.Message);
        Assert.Contains("dtype", exception.Message);
    }
}
