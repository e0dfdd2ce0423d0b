using Mfr.Gpt2;
using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Gpt2;

/// <summary>The forward pass against torch (tools/golden/gpt2_make_golden.py) on a tiny random GPT-2.</summary>
public sealed class Gpt2ModelTests
{
    // fp32 against a float64 torch reference: logits are O(5), so 1e-4 absolute is about 20 ulp.
    private const double Absolute = 1e-4;
    private const double Relative = 1e-4;

    public sealed class Forward
    {
        [Theory]
        [InlineData("tiny_f32")]
        [InlineData("tiny_f16_prefixed")]
        public void TinyModel_GivesTorchLogits(string folder)
        {
            // Given the F32 file, or the F16 file with 'transformer.' names and causal-mask buffers (same values)
            using var weights = Gpt2Weights.Load(Gpt2TestFiles.TestDataPath(folder));
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int batchSize = Gpt2Golden.BatchSize("a"), sequenceLength = Gpt2Golden.SequenceLength("a");
            var logits = new float[batchSize * sequenceLength * model.Config.VocabularySize];

            // When
            model.Forward(Gpt2Golden.Tokens("a"), batchSize, sequenceLength, workspace, logits);

            // Then
            AssertClose.Equal(Gpt2Golden.Floats("a", "logits"), logits, Absolute, Relative, "logits");
        }

        [Fact]
        public void FullContext_GivesTorchLossAtEveryPosition()
        {
            // Given 160 tokens: more than one 128-row attention block, every position embedding used
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int[] tokens = Gpt2Golden.Tokens("b");
            int vocabulary = model.Config.VocabularySize;
            var logits = new float[tokens.Length * vocabulary];

            // When
            model.Forward(tokens, 1, tokens.Length, workspace, logits);

            // Then: -log softmax(logits[t])[token t+1], computed here in double
            var losses = new float[tokens.Length - 1];
            for (int t = 0; t < losses.Length; t++)
            {
                var row = logits.AsSpan(t * vocabulary, vocabulary);
                double max = double.NegativeInfinity;
                foreach (float value in row) max = Math.Max(max, value);
                double sum = 0;
                foreach (float value in row) sum += Math.Exp(value - max);
                losses[t] = (float)(max + Math.Log(sum) - row[tokens[t + 1]]);
            }
            AssertClose.Equal(Gpt2Golden.Floats("b", "position_losses"), losses, Absolute, Relative, "per-position loss");
            AssertClose.Equal(Gpt2Golden.Floats("b", "last_position_logits"), logits.AsSpan(^vocabulary..), Absolute, Relative, "last logits");
        }

        [Fact]
        public void FullContext_GivesTheSameLogits_OnOneAndTwoThreads()
        {
            // Given 160 tokens: two query blocks per head, the attention's parallel parts
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            int[] tokens = Gpt2Golden.Tokens("b");
            float[] LogitsWith(int threads)
            {
                int saved = Mfr.Numerics.Parallelism.MaxThreads;
                try
                {
                    Mfr.Numerics.Parallelism.MaxThreads = threads;
                    using var workspace = model.CreateWorkspace();
                    var logits = new float[tokens.Length * model.Config.VocabularySize];
                    model.Forward(tokens, 1, tokens.Length, workspace, logits);
                    return logits;
                }
                finally
                {
                    Mfr.Numerics.Parallelism.MaxThreads = saved;
                }
            }

            // When
            var one = LogitsWith(1);
            var two = LogitsWith(2);

            // Then: every sum has one order whichever thread computes it
            Assert.Equal(one, two);
        }

        [Fact]
        public void Hook_SeesEveryPointInOrder_AndTorchActivations()
        {
            // Given
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int batchSize = Gpt2Golden.BatchSize("a"), sequenceLength = Gpt2Golden.SequenceLength("a");
            var seen = new List<(Gpt2HookPoint, int)>();
            float[]? block1Mlp = null;

            // When
            model.Forward(Gpt2Golden.Tokens("a"), batchSize, sequenceLength, workspace,
                new float[batchSize * sequenceLength * model.Config.VocabularySize],
                (point, layer, activations) =>
                {
                    seen.Add((point, layer));
                    if (point == Gpt2HookPoint.MlpOutput && layer == 1) block1Mlp = activations.ToArray();
                });

            // Then
            Assert.Equal(
                new[]
                {
                    (Gpt2HookPoint.AttentionOutput, 0), (Gpt2HookPoint.MlpOutput, 0), (Gpt2HookPoint.ResidualAfterBlock, 0),
                    (Gpt2HookPoint.AttentionOutput, 1), (Gpt2HookPoint.MlpOutput, 1), (Gpt2HookPoint.ResidualAfterBlock, 1),
                },
                seen);
            AssertClose.Equal(Gpt2Golden.Floats("a", "block1_mlp_output"), block1Mlp!, Absolute, Relative, "block 1 MLP output");
        }

        [Fact]
        public void ZeroAblationHook_ChangesWhatLaterBlocksSee()
        {
            // Given
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int batchSize = Gpt2Golden.BatchSize("a"), sequenceLength = Gpt2Golden.SequenceLength("a");
            var residual = new float[batchSize * sequenceLength * model.Config.EmbeddingDim];

            // When
            model.RunToLayer(Gpt2Golden.Tokens("a"), batchSize, sequenceLength, 1, Gpt2HookPoint.ResidualAfterBlock, workspace, residual,
                Gpt2Hooks.ZeroAblate(Gpt2HookPoint.MlpOutput, 0));

            // Then
            AssertClose.Equal(Gpt2Golden.Floats("a", "block1_residual_with_block0_mlp_zeroed"), residual, Absolute, Relative, "block 1 residual");
        }

        [Fact]
        public void BadInputs_ThrowArgumentExceptionsNamingTheProblem()
        {
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int vocabulary = model.Config.VocabularySize;

            var badToken = Assert.Throws<ArgumentException>(() => model.Forward([1, vocabulary], 1, 2, workspace, new float[2 * vocabulary]));
            Assert.Contains($"Token id {vocabulary}", badToken.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(new int[161], 1, 161, workspace, new float[161 * vocabulary]));
            Assert.Throws<ArgumentException>(() => model.Forward(new int[4], 1, 4, workspace, new float[3 * vocabulary]));
            Assert.Throws<ArgumentException>(() => model.Forward(new int[5], 2, 2, workspace, new float[4 * vocabulary]));
            Assert.Throws<ArgumentException>(() => model.ComputeLoss(new int[2], 2, 1, workspace));
        }
    }

    public sealed class RunToLayer
    {
        [Theory]
        [InlineData(Gpt2HookPoint.AttentionOutput, "block0_attention_output")]
        [InlineData(Gpt2HookPoint.MlpOutput, "block0_mlp_output")]
        [InlineData(Gpt2HookPoint.ResidualAfterBlock, "block0_residual")]
        public void Block0_GivesTorchActivations(Gpt2HookPoint point, string expectedName)
        {
            // Given
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int batchSize = Gpt2Golden.BatchSize("a"), sequenceLength = Gpt2Golden.SequenceLength("a");
            var activations = new float[batchSize * sequenceLength * model.Config.EmbeddingDim];

            // When
            model.RunToLayer(Gpt2Golden.Tokens("a"), batchSize, sequenceLength, 0, point, workspace, activations);

            // Then
            AssertClose.Equal(Gpt2Golden.Floats("a", expectedName), activations, Absolute, Relative, expectedName);
        }

        [Fact]
        public void Block0MlpOutput_NeverRunsLaterBlocksOrTheUnembedding()
        {
            // Given block 1 and ln_f poisoned with NaN (wte is the embedding too, so it stays), and a hook
            // recording every point reached
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            foreach (var parameter in Enum.GetValues<Gpt2BlockParameter>()) weights.GetBlockParameter(1, parameter).Fill(float.NaN);
            weights.FinalNormWeight.Fill(float.NaN);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int batchSize = Gpt2Golden.BatchSize("a"), sequenceLength = Gpt2Golden.SequenceLength("a");
            var activations = new float[batchSize * sequenceLength * model.Config.EmbeddingDim];
            var seen = new List<(Gpt2HookPoint, int)>();

            // When
            model.RunToLayer(Gpt2Golden.Tokens("a"), batchSize, sequenceLength, 0, Gpt2HookPoint.MlpOutput, workspace, activations,
                (point, layer, _) => seen.Add((point, layer)));

            // Then
            Assert.Equal(new[] { (Gpt2HookPoint.AttentionOutput, 0), (Gpt2HookPoint.MlpOutput, 0) }, seen);
            AssertClose.Equal(Gpt2Golden.Floats("a", "block0_mlp_output"), activations, Absolute, Relative, "block 0 MLP output");
        }
    }

    public sealed class ComputeLoss
    {
        [Theory]
        [InlineData("clean", "cross_entropy")]
        [InlineData("zeroed", "cross_entropy_block0_mlp_zeroed")]
        [InlineData("edited", "cross_entropy_block0_mlp_halved_plus_tenth")]
        public void Block0MlpReplacement_GivesTorchCrossEntropy(string variant, string expectedName)
        {
            // Given the three loss-recovered settings: clean, zero-ablated, and a spliced replacement
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int batchSize = Gpt2Golden.BatchSize("a"), sequenceLength = Gpt2Golden.SequenceLength("a");
            Gpt2ActivationHook? hook = variant switch
            {
                "zeroed" => Gpt2Hooks.ZeroAblate(Gpt2HookPoint.MlpOutput, 0),
                "edited" => Gpt2Hooks.Replace(Gpt2HookPoint.MlpOutput, 0, activations =>
                {
                    for (int i = 0; i < activations.Length; i++) activations[i] = activations[i] * 0.5f + 0.1f;
                }),
                _ => null,
            };

            // When
            var loss = model.ComputeLoss(Gpt2Golden.Tokens("a"), batchSize, sequenceLength, workspace, hook);

            // Then
            AssertClose.Equal(Gpt2Golden.Number("a", expectedName), loss.MeanCrossEntropy, 1e-5, 1e-5, variant);
            Assert.Equal(batchSize * (sequenceLength - 1), loss.PredictionCount);
        }

        [Fact]
        public void VocabularyOfSeveralSlices_EqualsCrossEntropyOfForwardLogits()
        {
            // Given a random model whose vocabulary spans three slices of the sliced loss, and
            // biases/LayerNorms perturbed so no term is trivial; the reference is the log-softmax of the
            // logits of Forward (itself checked against torch), computed here in double
            var config = new Gpt2Config { VocabularySize = 2 * Gpt2Workspace.VocabularySliceRows + 404, ContextLength = 40, EmbeddingDim = 64, LayerCount = 2, HeadCount = 4 };
            using var weights = Gpt2Weights.CreateRandom(config, seed: 11);
            var rng = new Rng(12);
            foreach (ref float value in weights.TokenEmbedding) value = rng.NextGaussian();
            foreach (ref float value in weights.FinalNormBias) value = rng.NextGaussian();
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            const int batchSize = 3, sequenceLength = 33;
            var tokens = new int[batchSize * sequenceLength];
            for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(config.VocabularySize);
            var logits = new float[tokens.Length * config.VocabularySize];
            model.Forward(tokens, batchSize, sequenceLength, workspace, logits);
            double expected = 0;
            for (int b = 0; b < batchSize; b++)
            {
                for (int t = 0; t < sequenceLength - 1; t++)
                {
                    int row = b * sequenceLength + t;
                    var rowLogits = logits.AsSpan(row * config.VocabularySize, config.VocabularySize);
                    expected += Gpt2KernelsReference.LogSumExp(rowLogits) - rowLogits[tokens[row + 1]];
                }
            }
            expected /= batchSize * (sequenceLength - 1);

            // When
            var loss = model.ComputeLoss(tokens, batchSize, sequenceLength, workspace);

            // Then
            AssertClose.Equal(expected, loss.MeanCrossEntropy, 1e-6, 1e-6, "cross-entropy");
        }

        [Fact]
        public void FullContext_GivesTorchCrossEntropy()
        {
            // Given 160 tokens (two blocks of logit rows: 128 + 31)
            using var weights = Gpt2Weights.Load(Gpt2Golden.F32Model);
            var model = new Gpt2Model(weights);
            using var workspace = model.CreateWorkspace();
            int[] tokens = Gpt2Golden.Tokens("b");

            // When
            var loss = model.ComputeLoss(tokens, 1, tokens.Length, workspace);

            // Then
            AssertClose.Equal(Gpt2Golden.Number("b", "cross_entropy"), loss.MeanCrossEntropy, 1e-5, 1e-5, "cross-entropy");
        }
    }
}
