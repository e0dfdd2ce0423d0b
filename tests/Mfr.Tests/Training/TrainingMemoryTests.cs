using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 13, class 9: a run too large for the machine is refused with the estimate, before anything is allocated.</summary>
public sealed class TrainingMemoryTests
{
    private static RunSpecification Synthetic(int latents, int batchSize, MfrMode mode = MfrMode.Baseline) => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 256, FeatureCount: 512, ActiveFeatures: 32)),
        [new SaeConfig(256, latents, 32), new SaeConfig(256, latents, 32)],
        new TrainingConfig(SampleCount: 10 * batchSize, BatchSize: batchSize),
        new MfrConfig(mode));

    [Fact]
    public void Estimate_OfATinyTrainer_CountsEveryAllocationSite()
    {
        // Given B 4, d 3, one SAE of h 5, k 2, no decoder bias, no penalty; by hand from the allocation sites (bytes):
        // batch 4*4*3 = 48; TopKSae 4*(2*15 + 2*5 + 3) = 172; Adam moments 4*2*(15 + 5 + 3) = 184;
        // workspace 4*(4*5 + 2*4*3 + 2*15 + 5 + 3) = 328, four [B, k] arrays 4*4*8 = 128, fire counts 4*17*5 = 340,
        // last-fired steps 8*5 = 40; saving: transposed encoder and decoder copy 4*2*15 = 120.
        long expected = 48 + 172 + 184 + 328 + 128 + 340 + 40 + 120;

        long estimate = TrainingMemory.EstimateTrainerBytes(4, [new SaeConfig(3, 5, 2)], 3, null);

        Assert.Equal(expected, estimate);
    }

    [Fact]
    public void Estimate_WithTheInt8Encoder_AddsItsQuantisedBuffersPerSae()
    {
        // Given B 10, d 6, two SAEs of h 40: rows pad to 24, latents to 64, G = ceil(6 / 4) = 2; by hand from
        // Int8SelectBuffers' allocations (4-byte units): input codes 24*2 + row factors 3*24 + products 24*64
        // + packed weights 64*2 + latent factors 5*64 = 2104, so 8416 bytes per SAE.
        SaeConfig[] saes = [new SaeConfig(6, 40, 3), new SaeConfig(6, 40, 5)];

        long fp32 = TrainingMemory.EstimateTrainerBytes(10, saes, 6, null);
        long int8 = TrainingMemory.EstimateTrainerBytes(10, saes, 6, null, encoder: EncoderPrecision.Int8Select);

        Assert.Equal(2 * 8416, int8 - fp32);
    }

    [Fact]
    public void Estimate_OfThePaperShape_CoversItsLargestBuffers_AndThePenaltyAddsItsCosineMatrix()
    {
        // Given the synthetic shape of SPEC 3 (B 10,000, d 256, h 512, two SAEs)
        long baseline = TrainingMemory.EstimateBytes(Synthetic(512, 10_000), 256);
        long coupled = TrainingMemory.EstimateBytes(Synthetic(512, 10_000, MfrMode.Mfr), 256);

        // Then the batch [B, d] and, per SAE, the pre-activations [B, h], the reconstruction and its gradient [B, d] and
        // the six [h, d] arrays (W, D, two gradients, two moments) are in it, and MFR adds at least the cosines [h, h]
        long largest = 4L * 10_000 * 256 + 2 * (4L * 10_000 * 512 + 2 * 4L * 10_000 * 256 + 6 * 4L * 512 * 256);
        Assert.InRange(baseline, largest, 2 * largest);
        Assert.True(coupled - baseline >= 4L * 512 * 512);
    }

    [Fact]
    public void Check_RefusesARunLargerThanTheMemory_WithBothFigures_AndAcceptsOneThatFits()
    {
        var specification = Synthetic(512, 1000);
        long estimate = TrainingMemory.EstimateBytes(specification, 256);

        var exception = Assert.Throws<ArgumentException>(() => RunPreflight.Check(specification, availableBytes: estimate - 1));
        RunPreflight.Check(specification, availableBytes: estimate);

        Assert.Contains("needs about", exception.Message);
        Assert.Contains("--latents", exception.Message);
    }

    [Fact]
    public void Start_WithAHundredMillionLatents_IsRefusedBeforeAnyFolderOrBuffer()
    {
        using var folder = new TemporaryDirectory();
        var before = System.Diagnostics.Stopwatch.StartNew();

        // Given h = 10^8 at d = 256: 100 GB for W alone, more than any machine running these tests
        var exception = Assert.Throws<ArgumentException>(() => TrainingRun.Start(Synthetic(100_000_000, 1000), folder.Combine("run")));

        // Then it is refused at once with the estimate, and nothing was created
        Assert.Matches(@"needs about \d+(\.\d)? GB", exception.Message);
        Assert.False(Directory.Exists(folder.Combine("run")));
        Assert.True(before.Elapsed < TimeSpan.FromSeconds(5), $"took {before.Elapsed}: something was allocated");
    }

    [Fact]
    public void Trainer_RefusesABatchTooLargeForTheMemory_BeforeAllocating()
    {
        // Given a batch of 10^9 vectors of d 256 (a terabyte per buffer)
        using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 256, FeatureCount: 512, ActiveFeatures: 32));

        var exception = Assert.Throws<ArgumentException>(() => new Trainer(new TrainingConfig(SampleCount: 1_000_000_000, BatchSize: 1_000_000_000), [new SaeConfig(256, 512, 32)], source));

        Assert.Contains("needs about", exception.Message);
    }
}
