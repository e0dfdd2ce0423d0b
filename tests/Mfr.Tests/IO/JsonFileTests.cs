using Mfr.IO;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.IO;

public sealed class JsonFileTests
{
    private sealed record Sample(int Step, string Name);

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"step\": \"ten\", \"name\": \"a\"}")]
    [InlineData("{\"step\": 1, ")]
    [InlineData("")]
    [InlineData("null")]
    public void Read_MalformedFile_ThrowsInvalidDataNamingTheFile(string content)
    {
        // Given
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("run.json");
        File.WriteAllText(path, content);

        // When
        var exception = Assert.Throws<InvalidDataException>(() => JsonFile.Read<Sample>(path, MetricLog.JsonOptions));

        // Then
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FieldOfTheWrongType_NamesTheField()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("state.json");
        File.WriteAllText(path, "{\"step\": \"ten\", \"name\": \"a\"}");

        var exception = Assert.Throws<InvalidDataException>(() => JsonFile.Read<Sample>(path, MetricLog.JsonOptions));

        Assert.Contains("'step'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotJsonAtAll_SaysWhereInTheFilesTermsOnly()
    {
        // Given a file that is not JSON (binary bytes, as a config path pointing at the wrong file gives)
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("config.json");
        File.WriteAllBytes(path, [0xE6, 0x00, 0x01, 0x02]);

        // When it is read
        var exception = Assert.Throws<InvalidDataException>(() => JsonFile.Read<Sample>(path, MetricLog.JsonOptions));

        // Then the message gives the line once, not the reader's 0-based position beside it
        Assert.Contains("line 1", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"step\": 1, \"name\": \"a\"", "the JSON ends inside an object or array (a cut file?)")]
    [InlineData("{\"step\": ", "the JSON ends inside an object or array (a cut file?)")]
    public void Read_ACutFile_SaysSoInTheFilesTerms(string content, string expected)
    {
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("cut.json");
        File.WriteAllText(path, content);

        var exception = Assert.Throws<InvalidDataException>(() => JsonFile.Read<Sample>(path, MetricLog.JsonOptions));

        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain("depth", exception.Message);
        Assert.DoesNotContain("isFinalBlock", exception.Message);
    }

    [Fact]
    public void Read_AFolder_SaysItIsAFolder()
    {
        using var folder = new TemporaryDirectory();

        var exception = Assert.Throws<FileNotFoundException>(() => JsonFile.Read<Sample>(folder.Path, MetricLog.JsonOptions));

        Assert.Equal($"{folder.Path} is a folder, not a file.", exception.Message);
    }

    [Fact]
    public void Read_WellFormedFile_ReturnsTheRecord()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("ok.json");
        File.WriteAllText(path, "{\"step\": 3, \"name\": \"x\"}");

        Assert.Equal(new Sample(3, "x"), JsonFile.Read<Sample>(path, MetricLog.JsonOptions));
    }
}

/// <summary>Issue 13, class 8: the serializer's complaints in the file's terms, without .NET type names.</summary>
public sealed class JsonFileMessageTests
{
    [Theory]
    [InlineData("[1]", "the top-level value is not an object")]
    [InlineData("{}", "missing required field(s) 'data', 'saes', 'training'")]
    [InlineData("{\"data\": null, \"saes\": [], \"training\": {}}", "'data' must not be null")]
    [InlineData("{\"data\": {}, \"saes\": [], \"training\": {\"batchSize\": \"big\"}}", "field 'training.batchSize', line 1: value of the wrong type, expected an integer")]
    [InlineData("{\"data\": {}, \"saes\": {}, \"training\": {}}", "field 'saes', line 1: value of the wrong type, expected a list")]
    [InlineData("{\"data\": {}, \"saes\": [], \"training\": {}, \"regularization\": {\"mode\": \"strong\"}}", "expected one of \"baseline\", \"reinit\", \"penalty\", \"mfr\"")]
    public void RunJson_Complaints_NameTheFieldInJsonTerms(string json, string expected)
    {
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("run.json");
        File.WriteAllText(path, json);
        var strict = new System.Text.Json.JsonSerializerOptions(MetricLog.JsonOptions) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

        var exception = Assert.Throws<InvalidDataException>(() => JsonFile.Read<RunSpecification>(path, strict));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Mfr.", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", exception.Message, StringComparison.Ordinal);
    }
}
