using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Regularization;

/// <summary>
/// The mean-max coupling an SAELens fork ported (repository <c>salma-remyx/SAELens</c>, file
/// <c>sae_lens/training/mutual_feature_regularization.py</c>, functions <c>mean_max_cosine_sim</c> and
/// <c>mutual_feature_penalty</c>), a rival to the paper's assignment-based penalty (<see cref="MmcsPenalty"/>).
/// <para>
/// With unit decoder rows D (here W_j / ||W_j||, tied weights), <c>mm(A, B) = mean over rows i of A of
/// max over rows j of B of A_i . B_j</c> (directional) and the symmetric pair term
/// <c>s(a, b) = (mm(D_a, D_b) + mm(D_b, D_a)) / 2</c>. Each SAE a minimises its own
/// <c>P_a = beta * w(t) * mean over peers b != a of (1 - s(a, b))</c> with the peers detached (the port gives every SAE
/// its own optimiser): SAE a receives <c>dP_a/dW_a</c> only. The max is held inside the gradient like torch's
/// <c>max</c>: with i* the best row of b for row i of a and j* the best row of a for row j of b,
/// <c>dP_a/dD_a,i = -beta w / (2 (K - 1)) * sum over peers of (D_b,i* / h_a + sum over j with j* = i of D_b,j / h_b)</c>,
/// which reaches W through the normalisation like the reconstruction gradient does. The reported value is the mean
/// over pairs of <c>beta w (1 - s)</c>: with two SAEs, each SAE's own penalty, and the paper's penalty with the
/// matching relaxed to a max. There is no assignment and no re-initialisation (the port leaves dead latents to AuxK).
/// </para>
/// <para>
/// Differences from the port, and why: the peers are those of the current step (every SAE's gradient is taken
/// before any optimiser step), where the port's sequential trainer may see a peer already stepped; the warm-up is
/// SAELens' linear coefficient ramp <c>w(t) = min(1, (t - 1) / T_w)</c> (its schedulers start at 0), with
/// T_w = <see cref="MfrConfig.WarmupSteps"/>; beta may be auto, resolved at step 1 like the paper's penalty
/// (the port's coefficient is a plain number, 1 by default). Ties of the max go to the lowest row index.
/// </para>
/// <para>Cost per step and pair: the h_a x h_b cosine GEMM, and O((h_a + h_b) d) for the gradient.</para>
/// </summary>
public sealed class MeanMaxPenalty : IEnsembleRegularizer, IDisposable
{
    private readonly MfrConfig config;
    private readonly (int A, int B)[] pairs;
    private readonly (int Rows, int Columns)[] shapes;
    private readonly AlignedBuffer[] cosineMatrices;
    // Per pair: best row of b for each row of a, and best row of a for each row of b.
    private readonly int[][] bestOfSecond, bestOfFirst;
    private readonly float[][] columnMaxima;
    // Per SAE: dP_a/dD_a, [h_a, d], before the projection through the row normalisation.
    private readonly AlignedBuffer[] decoderGradients;
    private readonly int memberCount;
    private double? beta;

    /// <summary>Creates the penalty for an ensemble of SAEs with these shapes (at least two, of one input width).</summary>
    public MeanMaxPenalty(MfrConfig config, IReadOnlyList<SaeConfig> saes)
    {
        config.Validate();
        if (saes.Count < 2) throw new ArgumentException("The mean-max penalty couples SAEs: it needs at least two in the ensemble.");
        if (saes.Any(sae => sae.InputDim != saes[0].InputDim)) throw new ArgumentException("The mean-max penalty needs SAEs of one input width.");
        this.config = config;
        beta = config.Beta;
        memberCount = saes.Count;
        pairs = [.. from a in Enumerable.Range(0, saes.Count) from b in Enumerable.Range(a + 1, saes.Count - a - 1) select (a, b)];
        shapes = pairs.Select(p => (saes[p.A].LatentCount, saes[p.B].LatentCount)).ToArray();
        cosineMatrices = pairs.Select(p => new AlignedBuffer((long)saes[p.A].LatentCount * saes[p.B].LatentCount)).ToArray();
        bestOfSecond = pairs.Select(p => new int[saes[p.A].LatentCount]).ToArray();
        bestOfFirst = pairs.Select(p => new int[saes[p.B].LatentCount]).ToArray();
        columnMaxima = pairs.Select(p => new float[saes[p.B].LatentCount]).ToArray();
        decoderGradients = saes.Select(sae => new AlignedBuffer((long)sae.LatentCount * sae.InputDim)).ToArray();
    }

    /// <inheritdoc/>
    public string Name => "mean-max-penalty";

    /// <summary>beta in force (null until resolved at step 1 when auto).</summary>
    public double? Beta => beta;

    /// <summary>w(t) for 1-based step t: SAELens' linear ramp <c>min(1, (t - 1) / T_w)</c>; 1 when T_w = 0.</summary>
    public static double WarmupWeight(int warmupSteps, long step) =>
        warmupSteps > 0 && step - 1 < warmupSteps ? (double)(step - 1) / warmupSteps : 1.0;

    /// <inheritdoc/>
    /// <returns>The penalty, beta, w(t), and per pair the symmetric mean-max cosine s(a, b) in place of the MMCS.</returns>
    public RegularizerOutcome Apply(long step, IReadOnlyList<EnsembleMember> members, IReadOnlyList<double> reconstructionLosses)
    {
        if (members.Count != memberCount) throw new ArgumentException($"The mean-max penalty was made for {memberCount} SAEs, got {members.Count}.");
        var symmetric = new double[pairs.Length];
        for (int p = 0; p < pairs.Length; p++) symmetric[p] = MeasurePair(p, members);
        double meanDistance = symmetric.Average(s => 1 - s);
        // beta = auto, as for the paper's penalty (SPEC 2): chosen once, at step 1, so the penalty equals the initial reconstruction loss.
        beta ??= meanDistance > 0 ? reconstructionLosses.Average() / meanDistance : 0;
        double warmup = WarmupWeight(config.WarmupSteps, step);
        double scale = beta.Value * warmup;
        if (scale > 0) AddGradients(scale, members);
        return new RegularizerOutcome(scale * meanDistance, beta.Value, warmup, symmetric, false);
    }

    /// <summary>Cosines of pair p (a GEMM: decoder rows are unit length), the best partner of every row both ways, and s(a, b).</summary>
    private double MeasurePair(int p, IReadOnlyList<EnsembleMember> members)
    {
        var first = members[pairs[p].A].Sae;
        var second = members[pairs[p].B].Sae;
        var (rows, columns) = shapes[p];
        var cosines = cosineMatrices[p].Span;
        Gemm.MultiplyTransposed(first.Decoder, second.Decoder, rows, columns, first.Config.InputDim, cosines);
        var rowBest = bestOfSecond[p];
        var columnBest = bestOfFirst[p];
        var columnMax = columnMaxima[p];
        columnMax.AsSpan().Fill(float.NegativeInfinity);
        columnBest.AsSpan().Clear();
        double rowSum = 0;
        for (int i = 0; i < rows; i++)
        {
            var row = cosines.Slice(i * columns, columns);
            int best = 0;
            for (int j = 0; j < columns; j++)
            {
                float cosine = row[j];
                if (cosine > row[best]) best = j;
                // Strictly greater: the lowest row index wins a tie, as it does along the rows.
                if (cosine > columnMax[j])
                {
                    columnMax[j] = cosine;
                    columnBest[j] = i;
                }
            }
            rowBest[i] = best;
            rowSum += row[best];
        }
        double columnSum = 0;
        foreach (float cosine in columnMax) columnSum += cosine;
        return 0.5 * (rowSum / rows + columnSum / columns);
    }

    /// <summary>dP_a/dW_a of every SAE a (see the class summary), added to its weight gradient.</summary>
    private void AddGradients(double scale, IReadOnlyList<EnsembleMember> members)
    {
        double perPeer = -scale / (2.0 * (memberCount - 1));
        foreach (var member in members)
        {
            var sae = member.Sae;
            int h = sae.Config.LatentCount, d = sae.Config.InputDim;
            var gradient = decoderGradients[member.Index].Span;
            gradient.Clear();
            for (int p = 0; p < pairs.Length; p++)
            {
                var (a, b) = pairs[p];
                if (a != member.Index && b != member.Index) continue;
                bool isFirst = a == member.Index;
                var peer = members[isFirst ? b : a].Sae;
                int peerCount = peer.Config.LatentCount;
                // mm(D_a, D_b): every row i of a pulled towards its best row of b, weight 1 / h_a.
                var ownBest = isFirst ? bestOfSecond[p] : bestOfFirst[p];
                // mm(D_b, D_a): the best row of a for each row j of b pulled towards D_b,j, weight 1 / h_b.
                var peerBest = isFirst ? bestOfFirst[p] : bestOfSecond[p];
                float ownWeight = (float)(perPeer / h), peerWeight = (float)(perPeer / peerCount);
                for (int i = 0; i < h; i++) AddScaled(peer.Decoder.Slice(ownBest[i] * d, d), ownWeight, gradient.Slice(i * d, d));
                for (int j = 0; j < peerCount; j++) AddScaled(peer.Decoder.Slice(j * d, d), peerWeight, gradient.Slice(peerBest[j] * d, d));
            }
            KernelRegistry.SaeStep.Selected.ProjectDecoderGradient(sae.Decoder, sae.RowNorms, gradient, h, d, member.Workspace.WeightGradient, Parallelism.MaxThreads);
        }
    }

    private static void AddScaled(ReadOnlySpan<float> vector, float weight, Span<float> destination)
    {
        for (int t = 0; t < destination.Length; t++) destination[t] += weight * vector[t];
    }

    /// <inheritdoc/>
    /// <remarks>Only beta: the best partners are recomputed from the weights every step, so nothing else carries over.</remarks>
    public IReadOnlyDictionary<string, double[]> SaveState()
    {
        var state = new Dictionary<string, double[]>();
        if (beta is double value) state["beta"] = [value];
        return state;
    }

    /// <inheritdoc/>
    public void LoadState(IReadOnlyDictionary<string, double[]> state)
    {
        if (state.TryGetValue("beta", out var saved)) beta = saved[0];
    }

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        foreach (var buffer in cosineMatrices) buffer.Dispose();
        foreach (var buffer in decoderGradients) buffer.Dispose();
    }
}
