using Mfr.Sae;

namespace Mfr.Training;

/// <summary>One SAE of an ensemble with everything that trains it: batch buffers, optimiser state, seeds.</summary>
public sealed class EnsembleMember : IDisposable
{
    /// <summary>Allocates the SAE, its workspace and optimiser state; initialises the SAE from <paramref name="seed"/>.</summary>
    public EnsembleMember(int index, SaeConfig config, ulong seed, int maxBatchSize, Numerics.AdamSettings adam, EncoderPrecision encoderPrecision = EncoderPrecision.Fp32)
    {
        Index = index;
        Seed = seed;
        Sae = new TopKSae(config);
        Sae.Initialize(seed);
        Workspace = new SaeWorkspace(config, maxBatchSize, encoderPrecision);
        Optimizer = new SaeOptimizer(config, adam);
    }

    /// <summary>Position in the ensemble.</summary>
    public int Index { get; }

    /// <summary>Seed of the first initialisation; re-initialisations derive theirs from it and their count.</summary>
    public ulong Seed { get; }

    /// <summary>The SAE.</summary>
    public TopKSae Sae { get; }

    /// <summary>Its per-batch buffers.</summary>
    public SaeWorkspace Workspace { get; }

    /// <summary>Its AdamW state.</summary>
    public SaeOptimizer Optimizer { get; }

    /// <summary>Re-initialisations so far.</summary>
    public int ReinitializationCount { get; set; }

    /// <summary>Fresh orthogonal weights (a new seed per re-initialisation) and reset optimiser (SPEC 2).</summary>
    public void Reinitialize()
    {
        ReinitializationCount++;
        Sae.Initialize(ReinitializationSeed(Seed, ReinitializationCount));
        Optimizer.Reset();
    }

    /// <summary>Seed of re-initialisation number <paramref name="count"/> (1-based) of an SAE first seeded with <paramref name="seed"/>.</summary>
    public static ulong ReinitializationSeed(ulong seed, int count) => seed + 0x9E3779B97F4A7C15UL * (ulong)count;

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        Sae.Dispose();
        Workspace.Dispose();
        Optimizer.Dispose();
    }
}
