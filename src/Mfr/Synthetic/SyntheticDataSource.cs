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
public sealed class SyntheticDataSource : IGroundTruthSource
{
    // Stream ids below this are samples; the feature matrix uses one far above any sample index.
    private const ulong FeatureMatrixStream = ulong.MaxValue - 1;

    /// <summary>Samples per parallel part of <see cref="ReadBatch"/>.</summary>
    private const int SamplesPerPart = 64;

    private readonly int[] groupStart;
    private readonly int[] groupSize;
    private readonly double[] inverseWeights;
    private readonly int largestGroup;

    // 64-byte aligned like the SAE decoder: the batch is a sparse decode over these rows.
    private readonly AlignedBuffer features;

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
        // Efraimidis-Spirakis keys u^(1/w_i) (WeightedSamplingReference): the s largest give weighted
        // sampling without replacement. Weights lambda^i need no normalisation for it. 1 / lambda^i is
        // capped so a key is never 0 * infinity = NaN in absurdly long groups.
        largestGroup = groupSize.Max();
        inverseWeights = new double[largestGroup];
        for (int i = 0; i < largestGroup; i++) inverseWeights[i] = Math.Min(double.MaxValue, 1.0 / Math.Pow(config.FrequencyDecay, i));
        features = new AlignedBuffer((long)n * config.InputDim);
        var rng = Rng.ForStream(config.Seed, FeatureMatrixStream);
        rng.FillGaussian(features.Span);
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
    public ReadOnlySpan<float> TrueFeatures => features.Span;

    /// <inheritdoc/>
    public int FeatureCount => Config.FeatureCount;

    /// <summary>First feature index and size of group <paramref name="group"/>.</summary>
    public (int Start, int Size) Group(int group) => (groupStart[group], groupSize[group]);

    /// <summary>Draws sample <paramref name="sampleIndex"/>'s group, features (ascending) and coefficients.</summary>
    /// <param name="sampleIndex">Global position in the stream.</param>
    /// <param name="featureIndices">Output, <c>[ActiveFeatures]</c>, global feature indices.</param>
    /// <param name="coefficients">Output, <c>[ActiveFeatures]</c>, each uniform in [0, 1).</param>
    /// <returns>The group drawn.</returns>
    public int DrawSample(long sampleIndex, Span<int> featureIndices, Span<float> coefficients)
        => DrawSampleWith(sampleIndex, featureIndices, coefficients, KernelRegistry.Sampler.Selected);

    /// <inheritdoc/>
    public void ReadBatch(long batchIndex, int batchSize, Span<float> destination)
        => ReadBatchWith(batchIndex, batchSize, destination, KernelRegistry.Sampler.Selected, KernelRegistry.Sparse.Selected, Parallelism.MaxThreads);

    /// <summary><see cref="DrawSample"/> with an explicit sampler variant.</summary>
    internal unsafe int DrawSampleWith(long sampleIndex, Span<int> featureIndices, Span<float> coefficients, ISamplerKernel sampler)
    {
        int s = Config.ActiveFeatures;
        if (featureIndices.Length < s || coefficients.Length < s)
            throw new ArgumentException($"Need room for {s} features and coefficients, got {featureIndices.Length} and {coefficients.Length}.");
        fixed (int* starts = groupStart, sizes = groupSize, pf = featureIndices)
        fixed (double* weights = inverseWeights)
        fixed (float* pc = coefficients)
        {
            var work = NewDrawWork(starts, sizes, weights, firstSample: sampleIndex, batchSize: 1, pf, pc, sampler);
            return work.Draw(sampleIndex, pf, pc);
        }
    }

    /// <summary><see cref="ReadBatch"/> with explicit sampler and decode variants and thread count.</summary>
    /// <param name="batchIndex">Batch number: samples [batchIndex B, (batchIndex + 1) B).</param>
    /// <param name="batchSize">B.</param>
    /// <param name="destination">x, <c>[B, d]</c>.</param>
    /// <param name="sampler">Sampler variant.</param>
    /// <param name="decode">Decode variant.</param>
    /// <param name="maxThreads">Thread limit.</param>
    /// <param name="groupOrder">
    /// Decode the samples group by group (issue 16 item 1): the samples of a group draw from the same few dozen feature
    /// rows, which then stay in L1 while a slab of them is summed for each sample, instead of 32 rows from L2 per sample.
    /// Bitwise the same batch (each element is summed in the same order; tested against false, the sample-order decode).
    /// </param>
    internal unsafe void ReadBatchWith(long batchIndex, int batchSize, Span<float> destination, ISamplerKernel sampler, ISparseKernel decode, int maxThreads, bool groupOrder = true)
    {
        int d = Config.InputDim, s = Config.ActiveFeatures;
        if (batchIndex < 0 || batchSize < 0) throw new ArgumentOutOfRangeException(nameof(batchIndex), $"Need a non-negative batch index and size, got {batchIndex}, {batchSize}.");
        if (destination.Length < (long)batchSize * d)
            throw new ArgumentException($"Destination holds {destination.Length} floats, batch [{batchSize},{d}] needs {(long)batchSize * d}.");
        // The calling thread's reusable scratch (no allocation per batch): indices [B, s], coefficients [B, s], groups [B],
        // the group order [B] and the counts per group [G + 1].
        long entries = (long)batchSize * s;
        int g = Config.GroupCount;
        float* scratch = ScratchBuffers.Get(ScratchBuffers.SampleDraws, 2 * entries + 2L * batchSize + g + 1);
        int* indices = (int*)scratch;
        float* coefficients = scratch + entries;
        int* groups = (int*)(coefficients + entries);
        int* order = groups + batchSize;
        fixed (int* starts = groupStart, sizes = groupSize)
        fixed (double* weights = inverseWeights)
        {
            var work = NewDrawWork(starts, sizes, weights, batchIndex * batchSize, batchSize, indices, coefficients, sampler);
            work.Groups = groups;
            WorkerPool.Run(ref work, (batchSize + SamplesPerPart - 1) / SamplesPerPart, maxThreads);
        }
        // x = sum_i c_i F_i is exactly the SAE's sparse decode with F^T as the dictionary.
        var indexSpan = new ReadOnlySpan<int>(indices, (int)entries);
        var coefficientSpan = new ReadOnlySpan<float>(coefficients, (int)entries);
        if (!groupOrder)
        {
            SparseKernels.DecodeWith(indexSpan, coefficientSpan, features.Span, batchSize, s, d, destination[..(batchSize * d)], decode, maxThreads);
            return;
        }
        SortByGroup(groups, batchSize, g, order + batchSize, order);
        SparseKernels.DecodeInOrderWith(new ReadOnlySpan<int>(order, batchSize), indexSpan, coefficientSpan, features.Span, batchSize, s, d, destination[..(batchSize * d)], decode, maxThreads);
    }

    /// <summary>Counting sort of the samples by group, sample order kept within a group: <c>order</c> [B] (uses <c>counts</c> [G + 1]).</summary>
    private static unsafe void SortByGroup(int* groups, int batchSize, int groupCount, int* counts, int* order)
    {
        new Span<int>(counts, groupCount + 1).Clear();
        for (int b = 0; b < batchSize; b++) counts[groups[b] + 1]++;
        for (int group = 0; group < groupCount; group++) counts[group + 1] += counts[group];
        for (int b = 0; b < batchSize; b++) order[counts[groups[b]]++] = b;
    }

    /// <summary>Frees the feature matrix.</summary>
    public void Dispose() => features.Dispose();

    private unsafe DrawWork NewDrawWork(int* starts, int* sizes, double* weights, long firstSample, int batchSize, int* indices, float* coefficients, ISamplerKernel sampler) => new()
    {
        GroupStart = starts,
        GroupSize = sizes,
        InverseWeights = weights,
        Seed = Config.Seed,
        GroupCount = Config.GroupCount,
        ActiveFeatures = Config.ActiveFeatures,
        LargestGroup = largestGroup,
        FirstSample = firstSample,
        BatchSize = batchSize,
        Indices = indices,
        Coefficients = coefficients,
        Choose = sampler.Choose,
    };

    /// <summary>Draws samples [FirstSample, FirstSample + BatchSize) into Indices / Coefficients, <c>[B, s]</c>, a part of 64 at a time.</summary>
    private unsafe struct DrawWork : IParallelWork
    {
        public int* GroupStart, GroupSize, Indices, Groups;
        public double* InverseWeights;
        public float* Coefficients;
        public ulong Seed;
        public long FirstSample;
        public int BatchSize, GroupCount, ActiveFeatures, LargestGroup;
        public delegate*<ref Rng, double*, int, int, double*, double*, int*, void> Choose;

        public readonly void Execute(int part)
        {
            int first = part * SamplesPerPart, end = Math.Min(BatchSize, first + SamplesPerPart);
            for (int row = first; row < end; row++)
            {
                int group = Draw(FirstSample + row, Indices + (long)row * ActiveFeatures, Coefficients + (long)row * ActiveFeatures);
                if (Groups != null) Groups[row] = group;
            }
        }

        /// <summary>
        /// One sample, a pure function of (seed, sample index): the group (one NextInt), n keys (n doubles),
        /// the s smallest kept in ascending feature order, then one coefficient (float) per kept feature.
        /// </summary>
        public readonly int Draw(long sampleIndex, int* featureIndices, float* coefficients)
        {
            var rng = Rng.ForStream(Seed, (ulong)sampleIndex);
            int group = rng.NextInt(GroupCount);
            int size = GroupSize[group], s = ActiveFeatures;
            // This thread's scratch: keys, selection copy (doubles), chosen positions (ints).
            int stride = LargestGroup + 8;
            double* keys = (double*)ScratchBuffers.Get(ScratchBuffers.PartLocal, 5L * stride);
            double* copy = keys + stride;
            int* chosen = (int*)(copy + stride);
            Choose(ref rng, InverseWeights, size, s, keys, copy, chosen);
            int offset = GroupStart[group];
            for (int j = 0; j < s; j++) featureIndices[j] = offset + chosen[j];
            rng.FillFloats(new Span<float>(coefficients, s));
            return group;
        }
    }
}
