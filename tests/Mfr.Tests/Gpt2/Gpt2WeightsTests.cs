using Mfr.Gpt2;
using Mfr.IO;

namespace Mfr.Tests.Gpt2;

public sealed class Gpt2WeightsTests
{
    // 128 wide so that inference gives 2 heads of 64; small enough to build in memory instantly.
    private static readonly Gpt2Config Small = new() { VocabularySize = 50, ContextLength = 12, EmbeddingDim = 128, LayerCount = 2, HeadCount = 2 };

    public sealed class FromTensors
    {
        [Fact]
        public void Conv1DWeight_IsStoredTransposed()
        {
            // Given Hugging Face tensors where c_attn.weight [in, out] holds in * 1000 + out
            var tensors = HuggingFaceTensors(Small);
            int c = Small.EmbeddingDim;
            var qkv = new float[c * 3 * c];
            for (int i = 0; i < c; i++)
                for (int o = 0; o < 3 * c; o++) qkv[i * 3 * c + o] = i * 1000 + o;
            Replace(tensors, "h.1.attn.c_attn.weight", qkv);

            // When
            using var weights = Gpt2Weights.FromTensors(tensors, Small);

            // Then stored [out, in]: element (out = 5, in = 7) is 7 * 1000 + 5
            var stored = weights.GetBlockParameter(1, Gpt2BlockParameter.AttentionQkvWeight);
            Assert.Equal(7 * 1000 + 5, stored[5 * c + 7]);
            Assert.Equal(3 * 1000 + 300, stored[300 * c + 3]);
        }

        [Fact]
        public void MissingTensor_ThrowsInvalidDataNamingIt()
        {
            var tensors = HuggingFaceTensors(Small).Where(t => t.Name != "h.1.mlp.c_fc.bias").ToList();
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Weights.FromTensors(tensors, Small));
            Assert.Contains("'h.1.mlp.c_fc.bias' is missing", exception.Message);
        }

        [Fact]
        public void WrongShape_ThrowsInvalidDataNamingTensorAndBothShapes()
        {
            var tensors = HuggingFaceTensors(Small);
            Replace(tensors, "h.0.attn.c_proj.weight", new float[64 * 256], [64, 256]);
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Weights.FromTensors(tensors, Small));
            Assert.Contains("'h.0.attn.c_proj.weight' has shape [64, 256], expected [128, 128]", exception.Message);
        }

        [Fact]
        public void NoConfig_GptSmallWidth_InfersTwelve64WideHeads_AndSaysItAssumedThem()
        {
            // Given GPT-2 Small's width (768) in a model of one block and a tiny vocabulary, without a config
            var small = Small with { EmbeddingDim = 768, HeadCount = 12, LayerCount = 1 };

            // When
            using var weights = Gpt2Weights.FromTensors(HuggingFaceTensors(small));

            // Then
            Assert.Equal(small, weights.Config);
            Assert.Equal("no config.json: n_head = 12 assumed from n_embd = 768 (GPT-2 Small, 64-wide heads)", weights.ConfigNote);
        }

        [Fact]
        public void WithConfig_NothingIsAssumed()
        {
            using var weights = Gpt2Weights.FromTensors(HuggingFaceTensors(Small), Small);

            Assert.Null(weights.ConfigNote);
        }

        [Theory]
        [InlineData(96, 3)] // not a multiple of 64
        [InlineData(128, 2)] // a multiple of 64 but no GPT-2 size: its heads could be anything
        public void NoConfig_WidthNotAGpt2Size_ThrowsAskingForConfigJson(int width, int heads)
        {
            var config = Small with { EmbeddingDim = width, HeadCount = heads };
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Weights.FromTensors(HuggingFaceTensors(config)));
            Assert.Contains("config.json", exception.Message);
            Assert.Contains($"n_embd = {width} is not a GPT-2 width", exception.Message);
        }

        [Fact]
        public void MoreBlocksThanConfig_ThrowsInvalidData()
        {
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Weights.FromTensors(HuggingFaceTensors(Small), Small with { LayerCount = 1 }));
            Assert.Contains("n_layer = 1", exception.Message);
        }

        [Fact]
        public void TiedLmHead_IsAccepted_UntiedIsRejected()
        {
            // Given an lm_head.weight equal to wte, and one that differs in one element
            var tensors = HuggingFaceTensors(Small);
            var wte = tensors.Single(t => t.Name == "wte.weight");
            var tied = tensors.Append(new NamedTensor("lm_head.weight", wte.Shape, wte.Data.ToArray())).ToList();
            var untiedData = wte.Data.ToArray();
            untiedData[17] += 1f;
            var untied = tensors.Append(new NamedTensor("lm_head.weight", wte.Shape, untiedData)).ToList();

            // When / Then
            using (Gpt2Weights.FromTensors(tied, Small)) { }
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Weights.FromTensors(untied, Small));
            Assert.Contains("lm_head.weight", exception.Message);
        }

        [Fact]
        public void NotAGpt2File_ThrowsInvalidData()
        {
            var exception = Assert.Throws<InvalidDataException>(() => Gpt2Weights.FromTensors([new NamedTensor("encoder.weight", [2], new float[2])]));
            Assert.Contains("wte.weight", exception.Message);
        }
    }

    public sealed class SaveAndLoad
    {
        [Fact]
        public void RandomModel_RoundTripsThroughHuggingFaceFolder()
        {
            // Given
            string directory = Directory.CreateTempSubdirectory("mfr-gpt2-").FullName;
            try
            {
                using var original = Gpt2Weights.CreateRandom(Small, seed: 7);

                // When
                original.Save(directory);
                using var loaded = Gpt2Weights.Load(directory);
                using var file = SafetensorsFile.Open(Path.Combine(directory, Gpt2Weights.ModelFileName));

                // Then: same config and parameters, and the file uses Hugging Face names and [in, out] shapes
                Assert.Equal(Small, loaded.Config);
                Assert.True(original.TokenEmbedding.SequenceEqual(loaded.TokenEmbedding));
                foreach (var parameter in Enum.GetValues<Gpt2BlockParameter>())
                    Assert.True(original.GetBlockParameter(1, parameter).SequenceEqual(loaded.GetBlockParameter(1, parameter)), parameter.ToString());
                Assert.Equal(new long[] { 512, 128 }, file.GetInfo("h.0.mlp.c_proj.weight").Shape);
                Assert.Equal(new long[] { 128, 384 }, file.GetInfo("h.0.attn.c_attn.weight").Shape);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        [Fact]
        public void MissingFile_ThrowsFileNotFound()
        {
            Assert.Throws<FileNotFoundException>(() => Gpt2Weights.Load(Path.Combine(Path.GetTempPath(), $"mfr-missing-{Guid.NewGuid():N}")));
        }
    }

    public sealed class CreateRandom
    {
        [Fact]
        public void FollowsHuggingFaceInitialisation()
        {
            // Given
            using var weights = Gpt2Weights.CreateRandom(Small, seed: 3);

            // Then: LayerNorm weights 1, biases 0, wte std 0.02, output projections std 0.02 / sqrt(2 n_layer)
            Assert.All(weights.GetBlockParameter(0, Gpt2BlockParameter.LayerNorm2Weight).ToArray(), value => Assert.Equal(1f, value));
            Assert.All(weights.GetBlockParameter(1, Gpt2BlockParameter.MlpInputBias).ToArray(), value => Assert.Equal(0f, value));
            Assert.InRange(StandardDeviation(weights.TokenEmbedding), 0.019, 0.021);
            Assert.InRange(StandardDeviation(weights.GetBlockParameter(0, Gpt2BlockParameter.MlpOutputWeight)), 0.0095, 0.0105);
        }

        [Fact]
        public void SameSeed_SameWeights_OtherSeedDiffers()
        {
            using var a = Gpt2Weights.CreateRandom(Small, seed: 5);
            using var b = Gpt2Weights.CreateRandom(Small, seed: 5);
            using var c = Gpt2Weights.CreateRandom(Small, seed: 6);
            Assert.True(a.PositionEmbedding.SequenceEqual(b.PositionEmbedding));
            Assert.False(a.PositionEmbedding.SequenceEqual(c.PositionEmbedding));
        }

        private static double StandardDeviation(ReadOnlySpan<float> values)
        {
            double sum = 0, squares = 0;
            foreach (float value in values)
            {
                sum += value;
                squares += (double)value * value;
            }
            double mean = sum / values.Length;
            return Math.Sqrt(squares / values.Length - mean * mean);
        }
    }

    // Every parameter in Hugging Face names and shapes, filled with distinct small values.
    private static List<NamedTensor> HuggingFaceTensors(Gpt2Config config)
    {
        long c = config.EmbeddingDim;
        var tensors = new List<NamedTensor>();
        void Add(string name, params long[] shape)
        {
            var data = new float[shape.Aggregate(1L, (product, dimension) => product * dimension)];
            for (int i = 0; i < data.Length; i++) data[i] = (tensors.Count * 31 + i) % 97 * 0.01f;
            tensors.Add(new NamedTensor(name, shape, data));
        }
        Add("wte.weight", config.VocabularySize, c);
        Add("wpe.weight", config.ContextLength, c);
        for (int layer = 0; layer < config.LayerCount; layer++)
        {
            string p = $"h.{layer}.";
            Add(p + "ln_1.weight", c); Add(p + "ln_1.bias", c);
            Add(p + "attn.c_attn.weight", c, 3 * c); Add(p + "attn.c_attn.bias", 3 * c);
            Add(p + "attn.c_proj.weight", c, c); Add(p + "attn.c_proj.bias", c);
            Add(p + "ln_2.weight", c); Add(p + "ln_2.bias", c);
            Add(p + "mlp.c_fc.weight", c, 4 * c); Add(p + "mlp.c_fc.bias", 4 * c);
            Add(p + "mlp.c_proj.weight", 4 * c, c); Add(p + "mlp.c_proj.bias", c);
            Add(p + "attn.bias", 1, 1, config.ContextLength, config.ContextLength);
        }
        Add("ln_f.weight", c);
        Add("ln_f.bias", c);
        return tensors;
    }

    private static void Replace(List<NamedTensor> tensors, string name, float[] data, long[]? shape = null)
    {
        int index = tensors.FindIndex(t => t.Name == name);
        tensors[index] = new NamedTensor(name, shape ?? tensors[index].Shape, data);
    }
}
