using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Consistency;

/// <summary>
/// The decoders a run started from (step 0), rebuilt from its specification without training: member m of a run is
/// initialised by <see cref="TopKSae.Initialize"/> from <see cref="Trainer.MemberSeed"/>(training seed, m), a pure
/// function of run.json, so the same code path the <see cref="Trainer"/> takes gives the same weights. Rebuilding
/// (rather than saving a step-0 copy in the run folder) also serves runs trained before this existed or by plain
/// <c>mfr train</c> (the EEG runs), and adds no file to the run folder's layout. Step-0 similarity between runs is
/// the baseline their final consistency has to be read against (issue 14 part 2; arXiv 2606.02061).
/// </summary>
public static class InitialDecoders
{
    /// <summary>The step-0 decoder of every SAE of the run <paramref name="specification"/> describes.</summary>
    /// <param name="specification">The run's run.json.</param>
    /// <returns>Per member, its decoder <c>[latentCount, inputDim]</c> before the first step.</returns>
    public static IReadOnlyList<float[]> Of(RunSpecification specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        var decoders = new float[specification.Saes.Length][];
        for (int m = 0; m < decoders.Length; m++)
        {
            using var sae = new TopKSae(specification.Saes[m]);
            sae.Initialize(Trainer.MemberSeed(specification.Training.Seed, m));
            decoders[m] = sae.Decoder.ToArray();
        }
        return decoders;
    }
}
