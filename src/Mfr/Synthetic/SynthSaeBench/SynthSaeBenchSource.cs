using Mfr.Data;
using Mfr.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// Streams SynthSAEBench activations (Chanin and Garriga-Alonso 2026), the generative process of SAELens
/// <c>sae_lens/synthetic/synthetic_model.py</c> SyntheticModel.sample = FeatureDictionary(ActivationGenerator.sample)
/// (decoderesearch/SAELens; activation_generator.py read at tkellogg/SAELens 78b92fc): per sample,
/// <list type="number">
/// <item>copula: <c>z = F eps + sqrt(D) eta</c>; feature i fires when z_i &gt; Phi^-1(1 - p_i), p Zipfian;</item>
/// <item>magnitudes: a firing feature gets relu(mean_i + std_i g), g ~ N(0, 1), 0 counting as not firing;</item>
/// <item>hierarchy (hierarchy/modifier.py _apply_hierarchy_sparse): in breadth-first order a child is dropped when
/// its parent is off, and of several firing children of a mutually exclusive parent one, uniformly at random, stays;</item>
/// <item>x = sum_i a_i d_i + bias.</item>
/// </list>
/// Sample i is a pure function of (seed, i) through <see cref="Rng.ForStream"/>, so any batch can be regenerated
/// in any order on any thread; nothing is stored. The directions, copula factor and magnitudes are drawn once at
/// construction from streams far above any sample index.
/// <para>
/// Deviations: (a) eta is not drawn; feature i fires when a uniform u_i &lt; Q(c_i), c_i = (t_i - (F eps)_i) / sqrt(D_i),
/// which is the same event as eta_i &gt; c_i for eta_i = Q^-1(u_i) (Q by A&amp;S 26.2.17, error &lt; 7.5e-8; u has 24 bits,
/// from a counter-based hash so only the features looked at cost anything) and avoids N Gaussians a sample; (b) the mutually exclusive winner is drawn with one uniform integer rather than
/// argmax of uniform scores (the same distribution); (c) random draws come from Mfr's xoshiro streams, not torch's.
/// </para>
/// </summary>
public sealed class SynthSaeBenchSource : IGroundTruthSource
{
    // Construction streams, far above any sample index.
    private const ulong DirectionStream = ulong.MaxValue - 1;
    private const ulong CorrelationStream = ulong.MaxValue - 2;
    private const ulong MagnitudeStream = ulong.MaxValue - 3;
    private const ulong HierarchyStream = ulong.MaxValue - 4;
    private const ulong BiasStream = ulong.MaxValue - 5;

    /// <summary>Samples per parallel part of <see cref="ReadBatch"/>.</summary>
    private const int SamplesPerPart = 16;

    private readonly float[] directions;
    private readonly float[] bias;
    private readonly float[] thresholds;
    private readonly float[] inverseSpread;
    private readonly float[] meanMagnitudes;
    private readonly float[] magnitudeStds;
    private readonly int[] firstChild;
    private readonly int[] childCount;
    private readonly byte[] exclusive;

    private static readonly Lock SharedLock = new();
    private static SynthSaeBenchSource? shared;

    /// <summary>
    /// The source for <paramref name="config"/>, built once and shared while the config stays the same: a run opens its data
    /// for training, the ground-truth evaluator and the held-out evaluation, and building the world costs the orthogonalisation
    /// (the dominant cost of construction, and large at 16k). Sharing is safe: the source is immutable after construction and <see cref="Dispose"/> frees
    /// nothing. The last config's source is kept (50 MB at 16k).
    /// </summary>
    public static SynthSaeBenchSource Open(SynthSaeBenchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        lock (SharedLock)
        {
            if (shared is not null && shared.Config == config) return shared;
            shared = new SynthSaeBenchSource(config);
            return shared;
        }
    }

    /// <summary>Builds the world for <paramref name="config"/>: probabilities, hierarchy, copula, magnitudes, and the orthogonalised directions.</summary>
    public SynthSaeBenchSource(SynthSaeBenchConfig config)
    {
        config.Validate();
        Config = config;
        int n = config.FeatureCount;
        BaseFiringProbabilities = ZipfianProbabilities(n, config.ZipfExponent, config.MaxFiringProbability, config.MinFiringProbability);
        var hierarchyRng = Rng.ForStream(config.Seed, HierarchyStream);
        Hierarchy = new FeatureHierarchy(config, ref hierarchyRng);
        FiringProbabilities = config.CompensateProbabilities ? Hierarchy.CompensateProbabilities(BaseFiringProbabilities) : BaseFiringProbabilities;
        var correlationRng = Rng.ForStream(config.Seed, CorrelationStream);
        Correlation = new LowRankCorrelation(n, config.CorrelationRank, config.CorrelationScale, ref correlationRng);
        thresholds = new float[n];
        inverseSpread = new float[n];
        for (int i = 0; i < n; i++)
        {
            thresholds[i] = (float)StandardNormal.InverseCdf(1 - FiringProbabilities[i]);
            inverseSpread[i] = (float)(1 / Math.Sqrt(Correlation.Diagonal[i]));
        }
        meanMagnitudes = new float[n];
        magnitudeStds = new float[n];
        var magnitudeRng = Rng.ForStream(config.Seed, MagnitudeStream);
        for (int i = 0; i < n; i++)
        {
            // LinearMagnitudeConfig: torch.linspace(start, end, n); FoldedNormalMagnitudeConfig: |mean + std N(0, 1)|.
            meanMagnitudes[i] = (float)(config.MeanMagnitudeFirst + (config.MeanMagnitudeLast - config.MeanMagnitudeFirst) * i / (n - 1));
            magnitudeStds[i] = (float)Math.Abs(config.MagnitudeStdMean + config.MagnitudeStdStd * magnitudeRng.NextGaussian());
        }
        firstChild = new int[n];
        childCount = new int[n];
        exclusive = new byte[n];
        for (int i = 0; i < n; i++)
        {
            (firstChild[i], childCount[i]) = Hierarchy.Children(i);
            exclusive[i] = Hierarchy.HasExclusiveChildren(i) ? (byte)1 : (byte)0;
        }
        var directionRng = Rng.ForStream(config.Seed, DirectionStream);
        directions = FeatureDirections.Create(n, config.InputDim, config.OrthogonalizationSteps, config.OrthogonalizationLearningRate, ref directionRng);
        bias = new float[config.InputDim];
        if (config.BiasNorm > 0)
        {
            // FeatureDictionary: a random Gaussian direction scaled to the bias norm.
            var biasRng = Rng.ForStream(config.Seed, BiasStream);
            biasRng.FillGaussian(bias);
            double norm = Math.Sqrt(bias.Sum(value => (double)value * value));
            for (int k = 0; k < bias.Length; k++) bias[k] = (float)(bias[k] / norm * config.BiasNorm);
        }
    }

    /// <summary>The generator's settings.</summary>
    public SynthSaeBenchConfig Config { get; }

    /// <inheritdoc/>
    public int Dimension => Config.InputDim;

    /// <inheritdoc/>
    public long? VectorCount => null;

    /// <inheritdoc/>
    public string Description => $"SynthSAEBench (N={Config.FeatureCount}, d={Config.InputDim}, roots={Config.HierarchyRootCount}, rank={Config.CorrelationRank}, seed={Config.Seed})";

    /// <summary>The true features as unit rows, <c>[FeatureCount, InputDim]</c> (as <see cref="SyntheticDataSource.TrueFeatures"/>).</summary>
    public ReadOnlySpan<float> TrueFeatures => directions;

    /// <inheritdoc/>
    public int FeatureCount => Config.FeatureCount;

    /// <summary>The bias added to every sample, <c>[InputDim]</c>.</summary>
    public ReadOnlySpan<float> Bias => bias;

    /// <summary>Zipfian base probability of each feature, <c>[N]</c>, descending: the rate each feature fires at overall when compensation is exact.</summary>
    public double[] BaseFiringProbabilities { get; }

    /// <summary>Marginal firing probability p_i of each feature in the copula, before the hierarchy, <c>[N]</c> (the base ones, compensated when configured).</summary>
    public double[] FiringProbabilities { get; }

    /// <summary>The hierarchy forest.</summary>
    public FeatureHierarchy Hierarchy { get; }

    /// <summary>The copula's correlation.</summary>
    public LowRankCorrelation Correlation { get; }

    /// <summary>Mean firing magnitude of each feature, <c>[N]</c>.</summary>
    public ReadOnlySpan<float> MeanMagnitudes => meanMagnitudes;

    /// <summary>Standard deviation of each feature's firing magnitude, <c>[N]</c>.</summary>
    public ReadOnlySpan<float> MagnitudeStds => magnitudeStds;

    /// <summary>
    /// SAELens zipfian_firing_probabilities: r^-exponent for ranks r = 1..N, min-max scaled to [p_min, p_max]
    /// (feature 0 fires most).
    /// </summary>
    public static double[] ZipfianProbabilities(int featureCount, double exponent, double maxProbability, double minProbability)
    {
        var probabilities = new double[featureCount];
        double smallest = Math.Pow(featureCount, -exponent);
        for (int i = 0; i < featureCount; i++)
            probabilities[i] = minProbability + (maxProbability - minProbability) * (Math.Pow(i + 1, -exponent) - smallest) / (1 - smallest);
        return probabilities;
    }

    /// <summary>Sample <paramref name="sampleIndex"/>'s firing features (ascending) and their magnitudes, after the hierarchy.</summary>
    /// <param name="sampleIndex">Global position in the stream.</param>
    /// <param name="features">Output, room for N.</param>
    /// <param name="magnitudes">Output, room for N, each positive.</param>
    /// <returns>How many features fire (the sample's L0).</returns>
    public int DrawFeatures(long sampleIndex, Span<int> features, Span<float> magnitudes)
        => DrawFeaturesWith(sampleIndex, features, magnitudes, KernelRegistry.CopulaFiring.Selected);

    /// <summary><see cref="DrawFeatures"/> with an explicit firing variant (every variant draws the same sample).</summary>
    internal unsafe int DrawFeaturesWith(long sampleIndex, Span<int> features, Span<float> magnitudes, ICopulaFiringKernel firing)
    {
        int n = Config.FeatureCount;
        if (features.Length < n || magnitudes.Length < n)
            throw new ArgumentException($"Need room for {n} features and magnitudes, got {features.Length} and {magnitudes.Length}.");
        fixed (int* pf = features)
        fixed (float* pm = magnitudes)
        {
            using var pins = new Pins(this);
            var sampler = pins.Sampler(firing);
            return sampler.Draw(sampleIndex, pf, pm);
        }
    }

    /// <summary>
    /// The copula's latent Gaussian of sample <paramref name="sampleIndex"/>: <c>z_i = (F eps)_i + sqrt(D_i) Q^-1(u_i)</c>
    /// from the same draws the sample uses (feature i fires before the hierarchy exactly when z_i &gt; t_i, up to the
    /// accuracy of Q). For tests of the correlation structure.
    /// </summary>
    internal unsafe void DrawLatent(long sampleIndex, Span<float> latent)
    {
        int n = Config.FeatureCount, rank = Config.CorrelationRank;
        if (latent.Length != n) throw new ArgumentException($"Latent needs {n} floats, got {latent.Length}.");
        var epsilon = new float[Math.Max(1, rank)];
        uint key;
        fixed (float* pe = epsilon)
        {
            using var pins = new Pins(this);
            var sampler = pins.Sampler(KernelRegistry.CopulaFiring.Reference);
            var rng = Rng.ForStream(Config.Seed, (ulong)sampleIndex);
            key = sampler.DrawShared(ref rng, pe);
        }
        for (int i = 0; i < n; i++)
        {
            double correlated = 0;
            for (int r = 0; r < rank; r++) correlated += (double)Correlation.Factor[(long)i * rank + r] * epsilon[r];
            latent[i] = (float)(correlated + Math.Sqrt(Correlation.Diagonal[i]) * StandardNormal.InverseCdf(1 - FeatureSampler.Uniform(key, i)));
        }
    }

    /// <inheritdoc/>
    public void ReadBatch(long batchIndex, int batchSize, Span<float> destination)
        => ReadBatchWith(batchIndex, batchSize, destination, Parallelism.MaxThreads);

    /// <summary><see cref="ReadBatch"/> with an explicit thread count.</summary>
    internal void ReadBatchWith(long batchIndex, int batchSize, Span<float> destination, int maxThreads)
    {
        if (batchIndex < 0 || batchSize < 0) throw new ArgumentOutOfRangeException(nameof(batchIndex), $"Need a non-negative batch index and size, got {batchIndex}, {batchSize}.");
        ReadSamples(batchIndex * batchSize, batchSize, destination, maxThreads);
    }

    /// <summary>Samples <c>[firstSample, firstSample + count)</c> as rows, <c>[count, d]</c> (a batch that need not start at a multiple of its size).</summary>
    internal void ReadSamples(long firstSample, int batchSize, Span<float> destination, int maxThreads)
        => ReadSamplesWith(firstSample, batchSize, destination, maxThreads, KernelRegistry.CopulaFiring.Selected);

    /// <summary><see cref="ReadSamples"/> with an explicit firing variant (every variant gives the same samples).</summary>
    internal unsafe void ReadSamplesWith(long firstSample, int batchSize, Span<float> destination, int maxThreads, ICopulaFiringKernel firing)
    {
        int d = Config.InputDim;
        if (firstSample < 0 || batchSize < 0) throw new ArgumentOutOfRangeException(nameof(firstSample), $"Need a non-negative first sample and count, got {firstSample}, {batchSize}.");
        if (destination.Length < (long)batchSize * d)
            throw new ArgumentException($"Destination holds {destination.Length} floats, batch [{batchSize},{d}] needs {(long)batchSize * d}.");
        fixed (float* output = destination)
        fixed (float* pd = directions, pb = bias)
        {
            using var pins = new Pins(this);
            var work = new BatchWork
            {
                Sampler = pins.Sampler(firing),
                Directions = pd,
                Bias = pb,
                Output = output,
                FirstSample = firstSample,
                BatchSize = batchSize,
                Dimension = d,
            };
            WorkerPool.Run(ref work, (batchSize + SamplesPerPart - 1) / SamplesPerPart, maxThreads);
        }
    }

    /// <summary>Nothing to free (managed arrays); present for <see cref="IVectorSource"/>.</summary>
    public void Dispose()
    {
    }

    /// <summary>Pins the per-feature arrays for the duration of a call and hands out a <see cref="FeatureSampler"/> over them.</summary>
    private readonly unsafe struct Pins : IDisposable
    {
        private readonly System.Runtime.InteropServices.GCHandle[] handles;
        private readonly SynthSaeBenchSource source;

        public Pins(SynthSaeBenchSource source)
        {
            this.source = source;
            object[] arrays = [source.Correlation.FactorTransposed, source.thresholds, source.inverseSpread, source.meanMagnitudes,
                source.magnitudeStds, source.firstChild, source.childCount, source.exclusive, source.Correlation.FactorBlocked, source.Correlation.FactorSkewed];
            handles = arrays.Select(a => System.Runtime.InteropServices.GCHandle.Alloc(a, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        }

        public FeatureSampler Sampler(ICopulaFiringKernel firing) => new()
        {
            FactorTransposed = (float*)handles[0].AddrOfPinnedObject(),
            Thresholds = (float*)handles[1].AddrOfPinnedObject(),
            InverseSpread = (float*)handles[2].AddrOfPinnedObject(),
            MeanMagnitudes = (float*)handles[3].AddrOfPinnedObject(),
            MagnitudeStds = (float*)handles[4].AddrOfPinnedObject(),
            FirstChild = (int*)handles[5].AddrOfPinnedObject(),
            ChildCount = (int*)handles[6].AddrOfPinnedObject(),
            Exclusive = (byte*)handles[7].AddrOfPinnedObject(),
            FactorBlocked = (float*)handles[8].AddrOfPinnedObject(),
            FactorSkewed = (float*)handles[9].AddrOfPinnedObject(),
            SkewedStride = source.Correlation.SkewedStride,
            FeatureCount = source.Config.FeatureCount,
            Rank = source.Config.CorrelationRank,
            RootCount = Math.Min(source.Config.HierarchyRootCount, source.Hierarchy.FeatureCount),
            HierarchyFeatureCount = source.Hierarchy.FeatureCount,
            Seed = source.Config.Seed,
            Pass = firing.UnsupportedReason is null ? firing.Pass : FiringPass.Vector,
        };

        public void Dispose()
        {
            foreach (var handle in handles) handle.Free();
        }
    }

    /// <summary>Asks the cache for the <paramref name="count"/> floats at <paramref name="row"/> (a hint; nothing where SSE is absent).</summary>
    private static unsafe void Prefetch(float* row, int count)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        for (int offset = 0; offset < count; offset += 16) System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + offset);
    }

    /// <summary>Draws samples [FirstSample, FirstSample + BatchSize) and decodes them into Output, <c>[B, d]</c>, 16 samples a part.</summary>
    private unsafe struct BatchWork : IParallelWork
    {
        /// <summary>How many direction rows ahead of the one being added are prefetched.</summary>
        private const int RowsAhead = 4;

        public FeatureSampler Sampler;
        public float* Directions, Bias, Output;
        public long FirstSample;
        public int BatchSize, Dimension;

        public readonly void Execute(int part)
        {
            int n = Sampler.FeatureCount, d = Dimension, together = FeatureSampler.MaxSamplesTogether;
            // This thread's scratch: feature indices and magnitudes of the samples drawn together.
            float* scratch = ScratchBuffers.Get(ScratchBuffers.SampleDraws, 2L * n * together);
            int* features = (int*)scratch;
            float* magnitudes = scratch + (long)n * together;
            int* counts = stackalloc int[together];
            int first = part * SamplesPerPart, end = Math.Min(BatchSize, first + SamplesPerPart);
            for (int row = first; row < end; row += together)
            {
                int samples = Math.Min(together, end - row);
                Sampler.DrawMany(FirstSample + row, samples, features, magnitudes, n, counts);
                for (int j = 0; j < samples; j++)
                {
                    float* target = Output + (long)(row + j) * d;
                    new ReadOnlySpan<float>(Bias, d).CopyTo(new Span<float>(target, d));
                    int* sampleFeatures = features + (long)j * n;
                    float* sampleMagnitudes = magnitudes + (long)j * n;
                    // The directions (N x d) outgrow the L2 cache: rows are asked for a few ahead of the one being added.
                    for (int s = 0; s < Math.Min(RowsAhead, counts[j]); s++) Prefetch(Directions + (long)sampleFeatures[s] * d, d);
                    for (int s = 0; s < counts[j]; s++)
                    {
                        if (s + RowsAhead < counts[j]) Prefetch(Directions + (long)sampleFeatures[s + RowsAhead] * d, d);
                        FeatureSampler.AddScaled(Directions + (long)sampleFeatures[s] * d, sampleMagnitudes[s], target, d);
                    }
                }
            }
        }
    }
}
