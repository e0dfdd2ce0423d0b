using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Sae;

public sealed class AuxKLossTests
{
    private const int InputDim = 4, Latents = 7, Batch = 3;
    private const long Step = 10, Window = 5;
    private const double Alpha = 0.25;

    /// <summary>Last-fired steps that make exactly <paramref name="dead"/> (latents 6, 4, 2, ... in that order) dead at <see cref="Step"/>.</summary>
    private static long[] LastFired(int dead)
    {
        var last = Enumerable.Repeat(Step - 1, Latents).ToArray();
        for (int c = 0; c < dead; c++) last[Latents - 1 - 2 * c] = 0;
        return last;
    }

    private static (TopKSae Sae, SaeWorkspace Workspace, float[] Inputs) ForwardAndBackward(SaeConfig config)
    {
        var sae = new TopKSae(config);
        sae.Initialize(5);
        var rng = new Rng(6);
        for (int i = 0; i < sae.Weights.Length; i++) sae.Weights[i] *= 0.5f + rng.NextFloat();
        for (int j = 0; j < Latents; j++) sae.Bias[j] = rng.NextFloat() - 0.5f;
        if (config.UseDecoderBias) for (int t = 0; t < InputDim; t++) sae.DecoderBias[t] = 0.3f * (rng.NextFloat() - 0.5f);
        sae.RefreshDecoder();
        var inputs = Enumerable.Range(0, Batch * InputDim).Select(_ => 2 * rng.NextFloat() - 1).ToArray();
        var workspace = new SaeWorkspace(config, Batch);
        SaeComputation.Forward(sae, inputs, Batch, workspace);
        SaeComputation.Backward(sae, inputs, workspace);
        return (sae, workspace, inputs);
    }

    [Theory]
    [InlineData(SaeActivation.TopK, false, 3)]
    [InlineData(SaeActivation.TopKRelu, true, 3)]
    [InlineData(SaeActivation.TopK, true, 1)]
    public void Gradient_MatchesFiniteDifferences_WithTheResidualHeld(SaeActivation activation, bool decoderBias, int dead)
    {
        // Given a tiny SAE after its forward and backward pass, and `dead` dead latents (d 4: k_aux = min(2, dead), s = min(dead / 2, 1))
        var config = new SaeConfig(InputDim, Latents, 1, activation, decoderBias);
        var (sae, workspace, inputs) = ForwardAndBackward(config);
        using var _ = sae;
        using var __ = workspace;
        var residual = inputs.Select((x, i) => (double)x - workspace.Reconstruction[i]).ToArray();
        var weightsBefore = workspace.WeightGradient.ToArray();
        var biasBefore = workspace.BiasGradient.ToArray();
        var decoderBiasBefore = workspace.DecoderBiasGradient.ToArray();
        var last = LastFired(dead);

        // When the AuxK loss adds its gradient
        using var auxK = new AuxKLoss(config, Batch, Alpha);
        double loss = auxK.AddGradient(sae, inputs, workspace, last, Step, Window);

        // Then its value and the gradient it added equal a double-precision reference and its central differences
        var weights = sae.Weights.ToArray().Select(v => (double)v).ToArray();
        var bias = sae.Bias.ToArray().Select(v => (double)v).ToArray();
        var decoderBiasValues = sae.DecoderBias.ToArray().Select(v => (double)v).ToArray();
        double Loss() => ReferenceLoss(weights, bias, decoderBiasValues, inputs, residual, last, activation);
        Assert.Equal(dead, auxK.DeadCount);
        Assert.Equal(Loss(), loss, 6);
        Assert.True(loss > 0);
        AssertGradient(weights, Loss, workspace.WeightGradient.ToArray(), weightsBefore, "dL/dW");
        AssertGradient(bias, Loss, workspace.BiasGradient.ToArray(), biasBefore, "dL/db");
        if (decoderBias) AssertGradient(decoderBiasValues, Loss, workspace.DecoderBiasGradient.ToArray(), decoderBiasBefore, "dL/db_dec");
    }

    private static void AssertGradient(double[] parameters, Func<double> loss, float[] after, float[] before, string what)
    {
        const double step = 1e-4;
        var numeric = new float[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            parameters[i] = original + step;
            double plus = loss();
            parameters[i] = original - step;
            double minus = loss();
            parameters[i] = original;
            numeric[i] = (float)((plus - minus) / (2 * step));
        }
        var added = after.Select((g, i) => g - before[i]).ToArray();
        AssertClose.Equal(numeric, added, absolute: 2e-5, relative: 1e-2, what: what);
        Assert.Contains(numeric, g => Math.Abs(g) > 1e-4);
    }

    [Fact]
    public void NoDeadLatent_AddsNothing()
    {
        // Given an SAE whose latents all fired on the previous step
        var config = new SaeConfig(InputDim, Latents, 1, UseDecoderBias: true);
        var (sae, workspace, inputs) = ForwardAndBackward(config);
        using var _ = sae;
        using var __ = workspace;
        var before = workspace.WeightGradient.ToArray();

        // When AuxK runs
        using var auxK = new AuxKLoss(config, Batch, Alpha);
        double loss = auxK.AddGradient(sae, inputs, workspace, LastFired(0), Step, Window);

        // Then it costs nothing and changes no gradient
        Assert.Equal(0, loss);
        Assert.True(before.AsSpan().SequenceEqual(workspace.WeightGradient));
    }

    private static Trainer Build(double auxK, long deadWindowSamples, out SyntheticDataSource source)
    {
        source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 12, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 1));
        var training = new TrainingConfig(SampleCount: 32 * 12, BatchSize: 32, Seed: 2, DeadLatentWindowSamples: deadWindowSamples, AuxKCoefficient: auxK);
        return new Trainer(training, [new SaeConfig(12, 48, 2), new SaeConfig(12, 48, 3)], source);
    }

    private static float[][] Train(double auxK, long deadWindowSamples)
    {
        using var trainer = Build(auxK, deadWindowSamples, out var source);
        using var _ = source;
        for (int i = 0; i < 12; i++) trainer.TrainStep();
        return [.. trainer.Members.Select(m => m.Sae.Weights.ToArray())];
    }

    [Fact]
    public void Trainer_WithoutDeadLatents_AuxKLeavesTheStepBitIdentical_WithThemItActs()
    {
        // Given the same run without AuxK, with AuxK but a window no latent outlives, and with AuxK and a 2-step window
        var off = Train(0, 64);
        var neverDead = Train(1.0 / 32, 1_000_000);
        var acting = Train(1.0 / 32, 64);

        // Then the first two are bit-identical and the third differs (48 latents at k 2-3 leave some silent for 2 steps)
        for (int m = 0; m < 2; m++)
        {
            Assert.True(off[m].AsSpan().SequenceEqual(neverDead[m]), $"SAE {m}: AuxK without dead latents changed the step");
            Assert.False(off[m].AsSpan().SequenceEqual(acting[m]), $"SAE {m}: AuxK with dead latents did nothing");
        }
    }

    [Fact]
    public void Config_ZeroIsOff_NotWrittenToRunJson_NegativeRefused()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(new TrainingConfig(), MetricLog.JsonOptions);
        Assert.DoesNotContain("auxK", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"auxKCoefficient\":0.03125", System.Text.Json.JsonSerializer.Serialize(new TrainingConfig(AuxKCoefficient: 1.0 / 32), MetricLog.JsonOptions));
        var error = Assert.Throws<ArgumentException>(() => new TrainingConfig(AuxKCoefficient: -1).Validate());
        Assert.Contains("AuxK", error.Message);
    }

    /// <summary>alpha s mean (e^ - e)^2 from raw parameters in double, e held; the top k_aux dead latents chosen anew.</summary>
    private static double ReferenceLoss(double[] weights, double[] bias, double[] decoderBias, float[] inputs, double[] residual, long[] last, SaeActivation activation)
    {
        var dead = Enumerable.Range(0, Latents).Where(j => Step - 1 - last[j] >= Window).ToArray();
        int half = InputDim / 2, kAux = Math.Min(half, dead.Length);
        double scale = Math.Min((double)dead.Length / half, 1.0);
        double total = 0;
        for (int b = 0; b < Batch; b++)
        {
            var pre = new double[Latents];
            for (int j = 0; j < Latents; j++)
            {
                pre[j] = bias[j];
                for (int t = 0; t < InputDim; t++) pre[j] += weights[j * InputDim + t] * (inputs[b * InputDim + t] - decoderBias[t]);
            }
            var chosen = dead.OrderByDescending(j => pre[j]).Take(kAux);
            var estimate = new double[InputDim];
            foreach (int j in chosen)
            {
                double z = activation == SaeActivation.TopKRelu ? Math.Max(0, pre[j]) : pre[j];
                double norm = Math.Sqrt(Enumerable.Range(0, InputDim).Sum(t => weights[j * InputDim + t] * weights[j * InputDim + t]));
                for (int t = 0; t < InputDim; t++) estimate[t] += z * weights[j * InputDim + t] / norm;
            }
            for (int t = 0; t < InputDim; t++) total += Math.Pow(estimate[t] - residual[b * InputDim + t], 2);
        }
        return Alpha * scale * total / (Batch * InputDim);
    }
}
