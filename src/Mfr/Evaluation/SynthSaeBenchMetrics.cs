using Mfr.Matching;
using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Evaluation;

/// <summary>
/// The SynthSAEBench paper's own metrics of one SAE (Chanin and Garriga-Alonso 2026, arXiv 2602.14687), as SAELens computes
/// them in <c>sae_lens/synthetic/evals.py</c> eval_sae_on_synthetic_data (decoderesearch/SAELens, commit ae20a2d08f96), so Mfr's
/// numbers can be set beside the paper's tables.
/// </summary>
/// <param name="Samples">Evaluation samples (fresh ones, disjoint from training: <see cref="HeldOutData.GeneratedStreamOffset"/>).</param>
/// <param name="TrueL0">true_l0: mean number of firing ground-truth features per sample.</param>
/// <param name="SaeL0">sae_l0: mean number of latents with an activation &gt; 0 per sample.</param>
/// <param name="DeadLatents">dead_latents: latents never &gt; 0 over the samples.</param>
/// <param name="Shrinkage">shrinkage: mean of |x^| / |x| over samples with |x| &gt; 1e-6 (1 = no shrinkage).</param>
/// <param name="ExplainedVariance">explained_variance: 1 - E|x - x^|^2 / (E|x|^2 - |E x|^2).</param>
/// <param name="Mcc">mcc: mean |cosine| of the decoder rows and true features matched one to one (Hungarian, min(h, N) pairs; O'Neill et al. 2025).</param>
/// <param name="Uniqueness">uniqueness: distinct true features that are some latent's best |cosine| match, over h.</param>
/// <param name="Precision">classification/precision: mean over latents of TP / (TP + FP) as a detector of its best-matching true feature (0 when undefined).</param>
/// <param name="Recall">classification/recall: mean over latents of TP / (TP + FN) (0 when undefined).</param>
/// <param name="F1">classification/f1_score: mean over latents of 2 P R / (P + R) (0 when undefined).</param>
/// <param name="Accuracy">classification/accuracy: mean over latents of (TP + TN) / samples.</param>
public sealed record SynthSaeBenchScores(long Samples, double TrueL0, double SaeL0, int DeadLatents, double Shrinkage, double ExplainedVariance,
    double Mcc, double Uniqueness, double Precision, double Recall, double F1, double Accuracy);

/// <summary>
/// Computes <see cref="SynthSaeBenchScores"/> (SAELens <c>sae_lens/synthetic/evals.py</c> at decoderesearch/SAELens ae20a2d08f96:
/// mean_correlation_coefficient, feature_uniqueness, L0Calculator, DeadLatentsCalculator, ShrinkageCalculator,
/// ExplainedVarianceCalculator, ClassificationMetricsCalculator). A latent "fires" when its activation is &gt; 0, as there: with
/// Mfr's plain TopK (no ReLU) a selected latent with a negative value does not count.
/// Not ported: the paper's sparse-probing experiments (they train probes; not a per-SAE library measure).
/// </summary>
public static class SynthSaeBenchMetrics
{
    /// <summary>SAELens's default number of evaluation samples (eval_sae_on_synthetic_data num_samples).</summary>
    public const int DefaultSamples = 100_000;

    /// <summary>Input norm at or below which shrinkage skips a sample (ShrinkageCalculator min_input_norm).</summary>
    private const double MinInputNorm = 1e-6;

    /// <summary>The scores of one SAE on <paramref name="sampleCount"/> fresh samples of <paramref name="source"/>.</summary>
    public static SynthSaeBenchScores Evaluate(TopKSae sae, SynthSaeBenchSource source, int sampleCount = DefaultSamples, int batchSize = 4096) =>
        Evaluate([sae], source, sampleCount, batchSize)[0];

    /// <summary>
    /// The scores of each SAE on the same <paramref name="sampleCount"/> fresh samples of <paramref name="source"/> (batches from
    /// <see cref="HeldOutData.GeneratedStreamOffset"/>; each drawn once for all SAEs).
    /// </summary>
    /// <param name="saes">SAEs of input width d of the source.</param>
    /// <param name="source">The benchmark the SAEs were trained on.</param>
    /// <param name="sampleCount">Evaluation samples, at least 1.</param>
    /// <param name="batchSize">Samples per batch, at least 1.</param>
    /// <exception cref="ArgumentException">A width mismatch or a non-positive count.</exception>
    public static SynthSaeBenchScores[] Evaluate(IReadOnlyList<TopKSae> saes, SynthSaeBenchSource source, int sampleCount = DefaultSamples, int batchSize = 4096)
    {
        if (sampleCount < 1 || batchSize < 1) throw new ArgumentException($"SynthSAEBench metrics need at least one sample and a batch of one, got {sampleCount} and {batchSize}.");
        int d = source.Dimension, n = source.FeatureCount;
        foreach (var sae in saes)
            if (sae.Config.InputDim != d) throw new ArgumentException($"SAE input width {sae.Config.InputDim} does not match the benchmark's d = {d}.");
        batchSize = Math.Min(batchSize, sampleCount);
        var tallies = saes.Select(sae => new Tally(sae, source)).ToArray();
        var workspaces = saes.Select(sae => new SaeWorkspace(sae.Config, batchSize)).ToArray();
        try
        {
            using var batch = new AlignedBuffer((long)batchSize * d);
            var features = new int[n];
            var magnitudes = new float[n];
            var firing = new bool[n];
            var firingCounts = new long[n];
            var sum = new double[d];
            double squaredNorms = 0;
            long trueActive = 0;
            int batches = (sampleCount + batchSize - 1) / batchSize;
            for (int b = 0; b < batches; b++)
            {
                int rows = Math.Min(batchSize, sampleCount - b * batchSize);
                long batchIndex = HeldOutData.GeneratedStreamOffset + b;
                var inputs = batch.Span[..(rows * d)];
                // Batch index * the full batch size: the samples ReadBatch(batchIndex, batchSize) reads (the last batch may be short).
                long firstSample = batchIndex * batchSize;
                source.ReadSamples(firstSample, rows, inputs, Parallelism.MaxThreads);
                for (int row = 0; row < rows; row++)
                {
                    var x = inputs.Slice(row * d, d);
                    for (int t = 0; t < d; t++)
                    {
                        sum[t] += x[t];
                        squaredNorms += (double)x[t] * x[t];
                    }
                }
                for (int m = 0; m < saes.Count; m++) SaeComputation.Forward(saes[m], inputs, rows, workspaces[m]);
                for (int row = 0; row < rows; row++)
                {
                    int count = source.DrawFeatures(firstSample + row, features, magnitudes);
                    trueActive += count;
                    for (int s = 0; s < count; s++)
                    {
                        firing[features[s]] = true;
                        firingCounts[features[s]]++;
                    }
                    for (int m = 0; m < saes.Count; m++) tallies[m].AddSample(workspaces[m], row, inputs.Slice(row * d, d), firing);
                    for (int s = 0; s < count; s++) firing[features[s]] = false;
                }
            }
            double meanSquaredNorm = squaredNorms / sampleCount;
            double squaredNormOfMean = sum.Sum(value => value / sampleCount * (value / sampleCount));
            return tallies.Select(tally => tally.Scores(sampleCount, trueActive / (double)sampleCount, meanSquaredNorm - squaredNormOfMean, firingCounts)).ToArray();
        }
        finally
        {
            foreach (var workspace in workspaces) workspace.Dispose();
        }
    }

    /// <summary>
    /// mean_correlation_coefficient: the one-to-one matching of the rows of <paramref name="absoluteCosines"/> to its columns
    /// maximising the total, and the mean matched value (min(rows, columns) pairs).
    /// </summary>
    /// <param name="absoluteCosines">|cosine| of each latent with each true feature, <c>[latentCount, featureCount]</c>.</param>
    /// <param name="latentCount">h, at least 1.</param>
    /// <param name="featureCount">N, at least 1.</param>
    public static double Mcc(ReadOnlySpan<float> absoluteCosines, int latentCount, int featureCount) =>
        FeatureMatching.MmcsFromCosines(absoluteCosines, latentCount, featureCount).Mean;

    /// <summary>
    /// Each latent's best-matching true feature, argmax over |cosine| (the first on ties, as torch.argmax), <c>[latentCount]</c>.
    /// </summary>
    /// <param name="absoluteCosines">|cosine|, <c>[latentCount, featureCount]</c>.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="featureCount">N.</param>
    public static int[] BestMatches(ReadOnlySpan<float> absoluteCosines, int latentCount, int featureCount)
    {
        var best = new int[latentCount];
        for (int i = 0; i < latentCount; i++)
        {
            var row = absoluteCosines.Slice(i * featureCount, featureCount);
            int argmax = 0;
            for (int j = 1; j < featureCount; j++) if (row[j] > row[argmax]) argmax = j;
            best[i] = argmax;
        }
        return best;
    }

    /// <summary>feature_uniqueness: distinct values among <paramref name="bestMatches"/>, over their number (0 for none).</summary>
    public static double Uniqueness(IReadOnlyCollection<int> bestMatches) => bestMatches.Count == 0 ? 0 : bestMatches.Distinct().Count() / (double)bestMatches.Count;

    /// <summary>
    /// ClassificationMetricsCalculator.compute from per-latent counts: per latent precision TP/(TP+FP), recall TP/(TP+FN), F1, each
    /// 0 when its denominator is 0, and accuracy (TP+TN)/total; each averaged over the latents.
    /// </summary>
    /// <param name="truePositives">Samples where the latent and its matched feature both fire, <c>[h]</c>.</param>
    /// <param name="latentFires">Samples where the latent fires (TP + FP), <c>[h]</c>.</param>
    /// <param name="featureFires">Samples where its matched feature fires (TP + FN), <c>[h]</c>.</param>
    /// <param name="samples">Samples (TP + FP + FN + TN).</param>
    /// <returns>Mean precision, recall, F1 and accuracy.</returns>
    public static (double Precision, double Recall, double F1, double Accuracy) Classification(ReadOnlySpan<long> truePositives, ReadOnlySpan<long> latentFires, ReadOnlySpan<long> featureFires, long samples)
    {
        int h = truePositives.Length;
        if (latentFires.Length != h || featureFires.Length != h)
            throw new ArgumentException($"Classification counts need one entry per latent, got {h}, {latentFires.Length} and {featureFires.Length}.");
        if (h == 0) return (0, 0, 0, 0);
        double precision = 0, recall = 0, f1 = 0, accuracy = 0;
        for (int i = 0; i < h; i++)
        {
            long tp = truePositives[i], fp = latentFires[i] - tp, fn = featureFires[i] - tp, tn = samples - tp - fp - fn;
            double p = tp + fp > 0 ? tp / (double)(tp + fp) : 0;
            double r = tp + fn > 0 ? tp / (double)(tp + fn) : 0;
            precision += p;
            recall += r;
            f1 += p + r > 0 ? 2 * p * r / (p + r) : 0;
            accuracy += (tp + tn) / Math.Max(samples, 1e-8);
        }
        return (precision / h, recall / h, f1 / h, accuracy / h);
    }

    /// <summary>|cosine| of each decoder row with each true feature, <c>[h, N]</c>.</summary>
    internal static float[] AbsoluteCosines(TopKSae sae, SynthSaeBenchSource source)
    {
        var cosines = CosineSimilarity.Compute(sae.Decoder, source.TrueFeatures, sae.Config.LatentCount, source.FeatureCount, source.Dimension);
        for (int i = 0; i < cosines.Length; i++) cosines[i] = Math.Abs(cosines[i]);
        return cosines;
    }

    /// <summary>One SAE's running counts.</summary>
    private sealed class Tally
    {
        private readonly TopKSae sae;
        private readonly int[] bestMatches;
        private readonly double mcc, uniqueness;
        private readonly long[] latentFires, truePositives;
        private double shrinkageSum, squaredResidual;
        private long shrinkageSamples, activeLatents;

        public Tally(TopKSae sae, SynthSaeBenchSource source)
        {
            this.sae = sae;
            int h = sae.Config.LatentCount;
            var cosines = AbsoluteCosines(sae, source);
            mcc = Mcc(cosines, h, source.FeatureCount);
            bestMatches = BestMatches(cosines, h, source.FeatureCount);
            uniqueness = Uniqueness(bestMatches);
            latentFires = new long[h];
            truePositives = new long[h];
        }

        public void AddSample(SaeWorkspace workspace, int row, ReadOnlySpan<float> x, bool[] featureFiring)
        {
            int k = sae.Config.K, d = x.Length;
            for (int j = row * k; j < (row + 1) * k; j++)
            {
                if (!(workspace.Activations[j] > 0)) continue;
                int latent = workspace.Indices[j];
                activeLatents++;
                latentFires[latent]++;
                if (featureFiring[bestMatches[latent]]) truePositives[latent]++;
            }
            var reconstruction = workspace.Reconstruction.Slice(row * d, d);
            double inputNorm = 0, outputNorm = 0, residual = 0;
            for (int t = 0; t < d; t++)
            {
                inputNorm += (double)x[t] * x[t];
                outputNorm += (double)reconstruction[t] * reconstruction[t];
                double difference = (double)x[t] - reconstruction[t];
                residual += difference * difference;
            }
            squaredResidual += residual;
            if (Math.Sqrt(inputNorm) > MinInputNorm)
            {
                shrinkageSum += Math.Sqrt(outputNorm) / Math.Sqrt(inputNorm);
                shrinkageSamples++;
            }
        }

        public SynthSaeBenchScores Scores(long samples, double trueL0, double totalVariance, long[] featureFiringCounts)
        {
            var featureFires = bestMatches.Select(feature => featureFiringCounts[feature]).ToArray();
            var (precision, recall, f1, accuracy) = Classification(truePositives, latentFires, featureFires, samples);
            double mse = squaredResidual / samples;
            double explained = totalVariance < 1e-10 ? (squaredResidual < 1e-10 ? 1 : 0) : 1 - mse / totalVariance;
            return new SynthSaeBenchScores(samples, trueL0, activeLatents / (double)samples, latentFires.Count(count => count == 0),
                shrinkageSamples == 0 ? 0 : shrinkageSum / shrinkageSamples, explained, mcc, uniqueness, precision, recall, f1, accuracy);
        }
    }
}
