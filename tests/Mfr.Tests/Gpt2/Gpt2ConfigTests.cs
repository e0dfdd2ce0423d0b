using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

public sealed class Gpt2ConfigTests
{
    [Fact]
    public void Defaults_AreGpt2Small()
    {
        var config = Gpt2Config.Small;
        Assert.Equal((50257, 1024, 768, 12, 12, 64, 3072), (config.VocabularySize, config.ContextLength, config.EmbeddingDim, config.LayerCount, config.HeadCount, config.HeadDim, config.MlpDim));
        Assert.Equal(1e-5f, config.LayerNormEpsilon);
    }

    [Theory]
    [InlineData(0, 12)]
    [InlineData(768, 0)]
    [InlineData(768, 10)]
    public void Validate_BadShape_ThrowsArgumentException(int width, int heads)
    {
        var config = new Gpt2Config { EmbeddingDim = width, HeadCount = heads };
        Assert.Throws<ArgumentException>(config.Validate);
    }

    [Fact]
    public void Load_ReadsHuggingFaceKeys_FallsBackToNCtx()
    {
        string path = WriteTemporary("""{"vocab_size": 100, "n_ctx": 64, "n_embd": 48, "n_layer": 3, "n_head": 6, "layer_norm_epsilon": 1e-6, "activation_function": "gelu_new"}""");
        try
        {
            var config = Gpt2Config.Load(path);
            Assert.Equal(new Gpt2Config { VocabularySize = 100, ContextLength = 64, EmbeddingDim = 48, LayerCount = 3, HeadCount = 6, LayerNormEpsilon = 1e-6f }, config);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"activation_function": "relu"}""", "activation_function")]
    [InlineData("""{"scale_attn_by_inverse_layer_idx": true}""", "scale_attn_by_inverse_layer_idx")]
    [InlineData("""{"n_embd": 768, "n_inner": 1000}""", "n_inner")]
    [InlineData("""{"n_embd": 768, "n_head": 7}""", "n_head 7 does not divide n_embd 768")]
    [InlineData("""{"n_layer": "twelve"}""", "n_layer")]
    [InlineData("""{"layer_norm_epsilon": "small"}""", "layer_norm_epsilon")]
    [InlineData("""{"n_layer": 12""", "not valid JSON")]
    public void Load_UnsupportedOrBadValue_ThrowsInvalidDataNamingIt(string json, string expectedInMessage)
    {
        string path = WriteTemporary(json);
        try
        {
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Config.Load(path));
            Assert.Contains(expectedInMessage, exception.Message);
            Assert.Contains(path, exception.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_ThenLoad_GivesTheSameConfig()
    {
        var config = new Gpt2Config { VocabularySize = 300, ContextLength = 32, EmbeddingDim = 64, LayerCount = 2, HeadCount = 4 };
        string path = Path.Combine(Path.GetTempPath(), $"mfr-config-{Guid.NewGuid():N}.json");
        try
        {
            config.Save(path);
            Assert.Equal(config, Gpt2Config.Load(path));
            Assert.Contains("\"layer_norm_epsilon\": 1E-05", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WriteTemporary(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mfr-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
