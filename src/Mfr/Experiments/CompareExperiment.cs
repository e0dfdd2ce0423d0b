using Mfr.Checkpoints;
using Mfr.Consistency;
using Mfr.Interop;
using Mfr.Matching;

namespace Mfr.Experiments;

/// <summary>
/// `mfr compare SAE_A SAE_B` (issue 15 item 5): MMCS, shared@tau and the matched-cosine histogram between the decoders of
/// two SAEs from any source (Mfr, SAELens v6, sparsify; tied or untied). Decoder rows are unit-normalised and matched one
/// to one by the exact assignment maximising the total cosine (<see cref="FeatureMatching.Mmcs"/>, the matching behind
/// <see cref="RunConsistency"/>'s PW-MCC); with different latent counts the smaller dictionary is matched entirely.
/// Thresholds are compared in float, as <see cref="RunConsistency.Measure"/> does, so equal-width results are its pair terms.
/// </summary>
public static class CompareExperiment
{
    /// <summary>Histogram bin width: 0.1 of cosine.</summary>
    public const double BinWidth = 0.1;

    /// <summary>Compares the SAEs of <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">A bad setting, or SAEs of different d_in; one line.</exception>
    public static CompareExperimentResult Run(CompareExperimentConfig config)
    {
        config.Validate();
        var (decoderA, latentsA, dimensionA) = Decoder(Path.GetFullPath(config.SaeA));
        var (decoderB, latentsB, dimensionB) = Decoder(Path.GetFullPath(config.SaeB));
        if (dimensionA != dimensionB)
            throw new ArgumentException($"SAE_A ({config.SaeA}) has d_in {dimensionA} but SAE_B ({config.SaeB}) has d_in {dimensionB}: only SAEs of the same input width can be compared.");
        var matching = FeatureMatching.Mmcs(decoderA, decoderB, latentsA, latentsB, dimensionA);
        var shared = config.Thresholds
            .Select(threshold => new SharedAtThreshold(threshold, (double)matching.Pairs.Count(pair => pair.Cosine >= (float)threshold) / matching.Pairs.Count))
            .ToArray();
        return new CompareExperimentResult(config.SaeA, config.SaeB, dimensionA, latentsA, latentsB, matching.Pairs.Count, matching.Mean, shared, Histogram(matching.Pairs));
    }

    /// <summary>Counts per bin of 0.1 from -1 to 1; a cosine on an edge goes to the bin above it (as shared@tau counts it), 1 to the last bin.</summary>
    public static CosineBin[] Histogram(IReadOnlyList<MatchedPair> pairs)
    {
        int binCount = (int)Math.Round(2 / BinWidth);
        var counts = new int[binCount];
        foreach (var pair in pairs)
        {
            int bin = 0;
            while (bin + 1 < binCount && pair.Cosine >= (float)Edge(bin + 1)) bin++;
            counts[bin]++;
        }
        return counts.Select((count, bin) => new CosineBin(Edge(bin), Edge(bin + 1), count)).ToArray();
    }

    /// <summary>Lower edge of bin <paramref name="bin"/>, rounded so 0.7 prints and compares as 0.7.</summary>
    private static double Edge(int bin) => Math.Round(-1 + bin * BinWidth, 1);

    /// <summary>The decoder <c>[h, d]</c> of an SAE folder of any layout (rows need not be unit length: cosines normalise them).</summary>
    private static (float[] Decoder, int LatentCount, int InputDim) Decoder(string folder)
    {
        if (SaeImport.IsForeign(folder))
        {
            var untied = SaeImport.Read(folder);
            return (untied.Decoder, untied.LatentCount, untied.InputDim);
        }
        using var sae = SaeFiles.Load(folder);
        return (sae.Decoder.ToArray(), sae.Config.LatentCount, sae.Config.InputDim);
    }
}
