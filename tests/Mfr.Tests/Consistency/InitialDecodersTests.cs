using Mfr.Consistency;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Tests.Consistency;

public sealed class InitialDecodersTests
{
    [Fact]
    public void Of_RebuildsTheDecodersTheTrainerStartsFrom_BitForBit()
    {
        // Given a two-SAE MFR run specification with seed 7
        var data = new SyntheticDataConfig(InputDim: 8, FeatureCount: 12, GroupCount: 2, ActiveFeatures: 2, Seed: 3);
        var specification = new RunSpecification(DataSpecification.ForSynthetic(data), [new SaeConfig(8, 6, 2), new SaeConfig(8, 6, 2)],
            new TrainingConfig(200, 50, Seed: 7), new MfrConfig());

        // When its step-0 decoders are rebuilt, and a trainer is built from the same specification
        var rebuilt = InitialDecoders.Of(specification);
        using var source = new SyntheticDataSource(data);
        using var trainer = new Trainer(specification.Training, specification.Saes, source);

        // Then every member's decoder is the trainer's before its first step, and the two members differ
        Assert.Equal(2, rebuilt.Count);
        for (int m = 0; m < 2; m++) Assert.Equal(trainer.Members[m].Sae.Decoder.ToArray(), rebuilt[m]);
        Assert.NotEqual(rebuilt[0], rebuilt[1]);
    }
}
