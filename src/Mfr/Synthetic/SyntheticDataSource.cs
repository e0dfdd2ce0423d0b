using Mfr.Data;
using Mfr.Numerics;

namespace Mfr.Synthetic;

/// <summary>
/// Streams the synthetic benchmark of SPEC section 3 without materialising it (the paper's 50 M
/// samples are 51 GB as float32). Sample number i of the stream is a pure function of
/// (seed, i): its group, features and coefficients come from <see cref="Rng.ForStream"/> with
/// stream id i, so any batch can be regenerated for a resumed run, in any order, on any thread.
/// <para>
/// Differences from the published code, as SPEC 3 prescribes: all n features are used (groups
/// of near-equal size: the first n mod G groups get one extra feature), and features are drawn
/// per sample rather than once per group per batch.
/// </para>
/// </summary>
public sealed class SyntheticDataSource : IVectorSource
{
    // Stream ids below this are samples; the feature matrix uses one far above any sample index.
    private const ulong FeatureMatrixStream = ulong.MaxValue - 1;
    private readonly int[] groupStart;
    private readonly int[] groupSize;
    private readonly double[] logWeightReciprocal;
    private readonly float[] features;

    /// <summary>Creates the source; draws the feature matrix F from the seed.</summary>
    public SyntheticDataSource(SyntheticDataConfig config)
    {
        config.Validate();
        Config = config;
        int n = config.FeatureCount, g = config.GroupCount;
        groupStart = new int[g];
        groupSize = new int[g];
        int start = 0;
        for (int group = 0; group < g; group++)
        {
            groupSize[group] = n / g + (group < n % g ? 1 : 0);
            groupStart[group] = start;
            start += groupSize[group];
        }
        // Efraimidis-Spirakis keys u^(1/w_i): the s largest give weighted sampling without
        // replacement, the same distribution as drawing one at a time and renormalising
        // (numpy's choice(replace=False, p=...)). Weights lambda^i need no normalisation for it.
        int largestGroup = groupSize.Max();
        logWeightReciprocal = new double[largestGroup];
        for (int i = 0; i < largestGroup; i++) logWeightReciprocal[i] = 1.0 / Math.Pow(config.FrequencyDecay, i);
        features = new float[(long)n * config.InputDim];
        var rng = Rng.ForStream(config.Seed, FeatureMatrixStream);
        rng.FillGaussian(features);
    }

    /// <summary>The generator's settings.</summary>
    public SyntheticDataConfig Config { get; }

    /// <inheritdoc/>
    public int Dimension => Config.InputDim;

    /// <inheritdoc/>
    public long? VectorCount => null;

    /// <inheritdoc/>
    public string Description => $"synthetic (d={Config.InputDim}, n={Config.FeatureCount}, G={Config.GroupCount}, s={Config.ActiveFeatures}, lambda={Config.FrequencyDecay}, seed={Config.Seed})";

    /// <summary>The true features as rows: F^T, <c>[FeatureCount, InputDim]</c> (SPEC's F is d x n).</summary>
    public ReadOnlySpan<float> TrueFeatures => features;

    /// <summary>First feature index and size of group <paramref name="group"/>.</summary>
    public (int Start, int Size) Group(int group) => (groupStart[group], groupSize[group]);

    /// <summary>Draws sample <paramref name="sampleIndex"/>'s group, features (ascending) and coefficients.</summary>
    /// <param name="sampleIndex">Global position in the stream.</param>
    /// <param name="featureIndices">Output, <c>[ActiveFeatures]</c>, global feature indices.</param>
    /// <param name="coefficients">Output, <c>[ActiveFeatures]</c>, each uniform in [0, 1).</param>
    /// <returns>The group drawn.</returns>
    public int DrawSample(long sampleIndex, Span<int> featureIndices, Span<float> coefficients)
    {
        int s = Config.ActiveFeatures;
        if (featureIndices.Length < s || coefficients.Length < s)
            throw new ArgumentException($"Need room for {s} features and coefficients, got {featureIndices.Length} and {coefficients.Length}.");
        var rng = Rng.ForStream(Config.Seed, (ulong)sampleIndex);
        int group = rng.NextInt(Config.GroupCount);
        int size = groupSize[group];
        Span<double> keys = stackalloc double[size];
        Span<int> order = stackalloc int[size];
        for (int i = 0; i < size; i++)
        {
            // -log(u^(1/w)) = -log(u) / w: the smallest of these are the largest keys. 1 - u avoids log(0).
            keys[i] = -Math.Log(1.0 - rng.NextDouble()) * logWeightReciprocal[i];
            order[i] = i;
        }
        keys.Sort(order);
        Span<int> chosen = order[..s];
        chosen.Sort();
        for (int j = 0; j < s; j++)
        {
            featureIndices[j] = groupStart[group] + chosen[j];
            coefficients[j] = rng.NextFloat();
        }
        return group;
    }

    /// <inheritdoc/>
    public void ReadBatch(long batchIndex, int batchSize, Span<float> destination)
    {
        int d = Config.InputDim, s = Config.ActiveFeatures;
        if (batchIndex < 0 || batchSize < 0) throw new ArgumentOutOfRangeException(nameof(batchIndex), $"Need a non-negative batch index and size, got {batchIndex}, {batchSize}.");
        if (destination.Length < (long)batchSize * d)
            throw new ArgumentException($"Destination holds {destination.Length} floats, batch [{batchSize},{d}] needs {(long)batchSize * d}.");
        int[] indices = System.Buffers.ArrayPool<int>.Shared.Rent(batchSize * s);
        float[] coefficients = System.Buffers.ArrayPool<float>.Shared.Rent(batchSize * s);
        try
        {
            long firstSample = batchIndex * batchSize;
            Parallel.For(0, batchSize, Parallelism.Options, row =>
                DrawSample(firstSample + row, indices.AsSpan(row * s, s), coefficients.AsSpan(row * s, s)));
            // x = sum_i c_i F_i is exactly the SAE's sparse decode with F^T as the dictionary.
            SparseKernels.Decode(indices.AsSpan(0, batchSize * s), coefficients.AsSpan(0, batchSize * s), features, batchSize, s, d, destination[..(batchSize * d)]);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(indices);
            System.Buffers.ArrayPool<float>.Shared.Return(coefficients);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
