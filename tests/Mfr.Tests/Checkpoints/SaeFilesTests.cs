using Mfr.Checkpoints;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Checkpoints;

/// <summary>Issue 13, classes 2 and 6: a broken SAE folder is one line naming the file and the field or tensor.</summary>
public sealed class SaeFilesTests
{
    private static string SavedSae(TemporaryDirectory folder)
    {
        using var sae = new TopKSae(new SaeConfig(4, 6, 2));
        sae.Initialize(5);
        string directory = folder.Combine("sae");
        SaeFiles.Save(sae, directory);
        return directory;
    }

    [Theory]
    [InlineData("[1, 2]", "an array")]
    [InlineData("{\"d_in\": \"four\", \"d_sae\": 6, \"k\": 2}", "field 'd_in'")]
    [InlineData("{\"d_in\": 4, \"d_sae\": 6}", "field 'k'")]
    [InlineData("{\"d_in\": 4, \"d_sae\": 6, \"k\": 2, \"mfr\": {\"activation\": 5}}", "field 'mfr.activation'")]
    [InlineData("{\"d_in\": 4, \"d_sae\": 6, \"k\": 2, \"mfr\": []}", "field 'mfr'")]
    [InlineData("{\"d_in\": 4, \"d_sae\": 6, \"k\": 2, \"apply_b_dec_to_input\": \"yes\"}", "field 'apply_b_dec_to_input'")]
    [InlineData("{\"d_in\": 4, \"d_sae\": 6, \"activation_fn_kwargs\": {\"k\": 2.5}}", "field 'activation_fn_kwargs.k'")]
    [InlineData("{\"d_in\": 4, \"d_in\": 4, \"d_sae\": 6, \"k\": 2}", "d_in")]
    public void BrokenConfig_IsInvalidData_NamingTheFileAndTheField(string json, string expected)
    {
        using var folder = new TemporaryDirectory();
        string directory = SavedSae(folder);
        File.WriteAllText(Path.Combine(directory, SaeFiles.ConfigFileName), json);

        var exception = Assert.Throws<InvalidDataException>(() => SaeFiles.ReadConfig(directory));

        Assert.Contains(Path.Combine(directory, SaeFiles.ConfigFileName), exception.Message);
        Assert.Contains(expected, exception.Message);
    }

    [Theory]
    [InlineData("W_enc")]
    [InlineData("b_enc")]
    [InlineData("b_dec")]
    public void WeightsWithNaN_AreRefusedAtLoad_NamingTheTensor(string broken)
    {
        using var folder = new TemporaryDirectory();
        string directory = SavedSae(folder);
        // Given the saved tensors with a NaN written into one of them
        string weights = Path.Combine(directory, SaeFiles.WeightsFileName);
        var tensors = new List<NamedTensor>();
        using (var file = SafetensorsFile.Open(weights))
        {
            foreach (string name in file.TensorNames)
            {
                float[] values = file.ReadFloat32(name);
                if (name == broken) values[1] = float.NaN;
                tensors.Add(new NamedTensor(name, file.GetInfo(name).Shape.ToArray(), values));
            }
        }
        SafetensorsWriter.Write(weights, tensors);

        var exception = Assert.Throws<InvalidDataException>(() => SaeFiles.Load(directory));

        Assert.Contains($"'{broken}'", exception.Message);
        Assert.Contains("NaN", exception.Message);
    }
}
