using Mfr.Distributed;
using Mfr.Matching;
using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Regularization;

/// <summary>
/// The MFR auxiliary penalty (SPEC 2): <c>P = beta * w(t) * mean over pairs a &lt; b of (1 - MMCS(W_a, W_b))</c>,
/// MMCS being the mean cosine of decoder rows under the optimal one-to-one assignment. The
/// assignment is held constant inside the gradient, so for a matched pair (i, j) of SAEs a, b
/// <c>dP/dD_a,i = -beta w / (pairs * n_ab) * D_b,j</c> (and symmetrically), which reaches W
/// through the normalisation like the reconstruction gradient does.
/// <para>
/// Cost: the h_a x h_b cosine matrix (a GEMM) and an exact assignment are needed only when the
/// assignment is refreshed (every <see cref="MfrConfig.AssignmentRefreshSteps"/> steps, warm-started
/// from the previous solution); in between, the held pairs' cosines cost O(h d).
/// </para>
/// </summary>
public sealed class MmcsPenalty : IEnsembleRegularizer, IDisposable
{
    private readonly MfrConfig config;
    private readonly (int A, int B)[] pairs;
    private readonly LinearAssignmentResult[] assignments;
    private readonly CandidateAssignmentWorkspace[] workspaces;
    private readonly (int Rows, int Columns)[] shapes;
    private readonly AlignedBuffer[] cosineMatrices;
    private readonly float[][] matchedDots;
    // Each pair's last solve time: the next refresh starts the slowest pairs first, so the threads finish together.
    private readonly double[] solveSeconds;
    // Pinned copies of each pair's assignment in both directions (row of b for each row of a, row of a
    // for each row of b), refreshed every step from the results, for the pointer-based gradient pass.
    private readonly int[][] partnerOfFirst, partnerOfSecond;
    private double? beta;
    // Under MPI (issue 17): the job whose ranks share out the pairs' refreshes; null in one process.
    private ICommunicator? communicator;

    /// <summary>Creates the penalty for an ensemble of SAEs with these shapes (at least two).</summary>
    public MmcsPenalty(MfrConfig config, IReadOnlyList<SaeConfig> saes)
    {
        config.Validate();
        if (saes.Count < 2) throw new ArgumentException("The MFR penalty needs at least two SAEs.");
        this.config = config;
        beta = config.Beta;
        pairs = [.. from a in Enumerable.Range(0, saes.Count) from b in Enumerable.Range(a + 1, saes.Count - a - 1) select (a, b)];
        assignments = pairs.Select(_ => new LinearAssignmentResult()).ToArray();
        workspaces = pairs.Select(_ => new CandidateAssignmentWorkspace()).ToArray();
        shapes = pairs.Select(p => (saes[p.A].LatentCount, saes[p.B].LatentCount)).ToArray();
        cosineMatrices = pairs.Select(p => new AlignedBuffer((long)saes[p.A].LatentCount * saes[p.B].LatentCount)).ToArray();
        matchedDots = pairs.Select(p => GC.AllocateArray<float>(saes[p.A].LatentCount, pinned: true)).ToArray();
        solveSeconds = new double[pairs.Length];
        partnerOfFirst = pairs.Select(p => GC.AllocateArray<int>(saes[p.A].LatentCount, pinned: true)).ToArray();
        partnerOfSecond = pairs.Select(p => GC.AllocateArray<int>(saes[p.B].LatentCount, pinned: true)).ToArray();
        if (saes.Count - 1 > PartnerGradient.MaxPartners) throw new ArgumentException($"The MFR penalty supports at most {PartnerGradient.MaxPartners + 1} SAEs, got {saes.Count}.");
    }

    /// <inheritdoc/>
    public string Name => "mfr-penalty";

    /// <summary>
    /// Under MPI, every rank holds every pair's assignment but solves only the refreshes of pairs p with p mod R = its
    /// rank, then receives the others' solutions (assignment and duals, so every rank warm-starts the next refresh from
    /// the same state): the same solutions as one process, computed once, with R times fewer cosine GEMMs per rank.
    /// </summary>
    internal void ShareRefreshesAmong(ICommunicator job) => communicator = job.Size > 1 ? job : null;

    /// <summary>beta in force (null until resolved at step 1 when auto).</summary>
    public double? Beta => beta;

    /// <summary>Each pair's assignment in force, in pair order (a &lt; b, lexicographic), for the refresh benchmark.</summary>
    internal IReadOnlyList<LinearAssignmentResult> Assignments => assignments;

    /// <summary>Where the last refresh's time went (zeros before the first), for the refresh benchmark (issue 16 item 3).</summary>
    internal RefreshTiming LastRefresh { get; private set; } = new(0, 0, 0);

    /// <summary>Sums over every refresh so far (`mfr bench` reads them over its timed steps).</summary>
    internal RefreshTotals RefreshTotals { get; private set; }

    /// <inheritdoc/>
    public RegularizerOutcome Apply(long step, IReadOnlyList<EnsembleMember> members, IReadOnlyList<double> reconstructionLosses)
    {
        bool refresh = (step - 1) % config.AssignmentRefreshSteps == 0 || !assignments[0].HasSolution;
        if (refresh) Refresh(members);
        for (int p = 0; p < pairs.Length; p++)
        {
            assignments[p].ColumnForRow.CopyTo(partnerOfFirst[p]);
            assignments[p].RowForColumn.CopyTo(partnerOfSecond[p]);
        }
        double warmup = config.WarmupWeight(step);
        bool fused = beta is not null && beta.Value * warmup > 0;
        // The matched cosines come out of the gradient pass when there is one; otherwise (beta = auto
        // still to be resolved at step 1, or a zero weight) they are measured on their own.
        if (fused) AddGradients(beta!.Value * warmup, members);
        else MeasureMatchedDots(members);
        var pairMmcs = new double[pairs.Length];
        for (int p = 0; p < pairs.Length; p++) pairMmcs[p] = MatchedRows.MeanOfMatched(matchedDots[p], assignments[p].ColumnForRow);
        double meanDistance = pairMmcs.Average(mmcs => 1 - mmcs);
        // SPEC 2, beta = auto: chosen once, at step 1, so the penalty equals the initial reconstruction loss.
        beta ??= meanDistance > 0 ? reconstructionLosses.Average() / meanDistance : 0;
        double scale = beta.Value * warmup;
        if (!fused && scale > 0) AddGradients(scale, members);
        return new RegularizerOutcome(scale * meanDistance, beta.Value, warmup, pairMmcs, refresh);
    }

    private void MeasureMatchedDots(IReadOnlyList<EnsembleMember> members)
    {
        for (int p = 0; p < pairs.Length; p++)
        {
            var (a, b) = pairs[p];
            var first = members[a].Sae;
            MatchedRows.MeanCosine(first.Decoder, members[b].Sae.Decoder, assignments[p].ColumnForRow, first.Config.InputDim, matchedDots[p]);
        }
    }

    /// <summary>
    /// New assignments for every pair. The cosine matrices are GEMMs that use every core; the exact
    /// assignments are single-threaded, so the pairs' assignments run side by side, each with its own
    /// workspace (a result does not depend on the thread that computes it). They are found on candidate
    /// lists (<see cref="CandidateAssignment"/>: the dense solver's optimum, its Dijkstra searches on each
    /// row's best columns), which at the GPT-2 shape (5 SAEs, 10 pairs at h 3072) cut the solves, once most of
    /// a refresh, to a fraction of it (issue 16 item 3). Under MPI each rank solves its share
    /// of the pairs and the solutions are exchanged (<see cref="ShareRefreshesAmong"/>).
    /// </summary>
    private void Refresh(IReadOnlyList<EnsembleMember> members)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        int[] solved = [.. Enumerable.Range(0, pairs.Length).Where(p => communicator is null || p % communicator.Size == communicator.Rank)];
        foreach (int p in solved)
        {
            var first = members[pairs[p].A].Sae;
            var second = members[pairs[p].B].Sae;
            // Decoder rows are unit length, so their products are the cosines.
            Gemm.MultiplyTransposed(first.Decoder, second.Decoder, shapes[p].Rows, shapes[p].Columns, first.Config.InputDim, cosineMatrices[p].Span);
        }
        long productsEnd = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var slowestFirst = System.Collections.Concurrent.Partitioner.Create(solved.OrderByDescending(p => solveSeconds[p]), System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
            Parallel.ForEach(slowestFirst, Parallelism.Options, p =>
            {
                long solveStart = System.Diagnostics.Stopwatch.GetTimestamp();
                CandidateAssignment.MaximizeSimilarity(cosineMatrices[p].Span, shapes[p].Rows, shapes[p].Columns, assignments[p], workspaces[p], warmStart: assignments[p].HasSolution);
                solveSeconds[p] = System.Diagnostics.Stopwatch.GetElapsedTime(solveStart).TotalSeconds;
            });
        }
        catch (AggregateException error) when (error.InnerExceptions.Count > 0)
        {
            // Surface the solver's own message (e.g. a non-finite cosine from diverged weights), not the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerExceptions[0]).Throw();
        }
        long solverEnd = System.Diagnostics.Stopwatch.GetTimestamp();
        if (communicator is not null) ShareSolutions(communicator);
        LastRefresh = new RefreshTiming(
            System.Diagnostics.Stopwatch.GetElapsedTime(start, productsEnd).TotalSeconds,
            System.Diagnostics.Stopwatch.GetElapsedTime(productsEnd, solverEnd).TotalSeconds,
            System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        RefreshTotals = RefreshTotals.Add(LastRefresh, solved.Sum(p => 2.0 * shapes[p].Rows * shapes[p].Columns * members[pairs[p].A].Sae.Config.InputDim));
    }

    /// <summary>
    /// Every rank's solutions to every rank, as one allgather of doubles: per pair solved, in pair order, the total, the
    /// partner of each row and of each column (exact as doubles), and the row and column duals.
    /// </summary>
    private void ShareSolutions(ICommunicator job)
    {
        int Length(int p) => 1 + 2 * (shapes[p].Rows + shapes[p].Columns);
        var counts = new int[job.Size];
        for (int p = 0; p < pairs.Length; p++) counts[p % job.Size] += Length(p);
        var own = new double[counts[job.Rank]];
        int offset = 0;
        for (int p = job.Rank; p < pairs.Length; p += job.Size)
        {
            var result = assignments[p];
            own[offset++] = result.Total;
            foreach (int column in result.ColumnForRow) own[offset++] = column;
            foreach (int row in result.RowForColumn) own[offset++] = row;
            result.RowDuals.CopyTo(own.AsSpan(offset));
            offset += shapes[p].Rows;
            result.ColumnDuals.CopyTo(own.AsSpan(offset));
            offset += shapes[p].Columns;
        }
        var all = new double[counts.Sum()];
        job.AllGatherVariable<double>(own, counts, all);
        offset = 0;
        for (int rank = 0; rank < job.Size; rank++)
        {
            for (int p = rank; p < pairs.Length; p += job.Size)
            {
                if (rank != job.Rank) Unpack(p, all.AsSpan(offset, Length(p)));
                offset += Length(p);
            }
        }
    }

    private void Unpack(int p, ReadOnlySpan<double> solution)
    {
        var (rows, columns) = shapes[p];
        var result = assignments[p];
        result.Prepare(rows, columns, AssignmentObjective.MaximizeSimilarity);
        for (int i = 0; i < rows; i++) result.WritableColumnForRow[i] = (int)solution[1 + i];
        for (int j = 0; j < columns; j++) result.WritableRowForColumn[j] = (int)solution[1 + rows + j];
        solution.Slice(1 + rows + columns, rows).CopyTo(result.WritableRowDuals);
        solution.Slice(1 + 2 * rows + columns, columns).CopyTo(result.WritableColumnDuals);
        result.Complete(solution[0], default);
    }

    /// <summary>
    /// The penalty gradient of every SAE, one pass over its rows (<see cref="PartnerGradient"/>), which also
    /// writes each pair's matched cosines (during the pass of the pair's first SAE).
    /// </summary>
    private unsafe void AddGradients(double scale, IReadOnlyList<EnsembleMember> members)
    {
        var partners = stackalloc PartnerGradient.Partner[PartnerGradient.MaxPartners];
        foreach (var member in members)
        {
            int count = 0;
            for (int p = 0; p < pairs.Length; p++)
            {
                var (a, b) = pairs[p];
                if (a != member.Index && b != member.Index) continue;
                float coefficient = (float)(-scale / (pairs.Length * assignments[p].MatchedCount));
                bool isFirst = a == member.Index;
                partners[count++] = new PartnerGradient.Partner(
                    Pointer(members[isFirst ? b : a].Sae.Decoder),
                    (int*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref (isFirst ? partnerOfFirst : partnerOfSecond)[p][0]),
                    coefficient,
                    isFirst ? (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref matchedDots[p][0]) : null);
            }
            var sae = member.Sae;
            fixed (float* rowNorms = sae.RowNorms)
            {
                PartnerGradient.Add(Pointer(sae.Decoder), rowNorms, sae.Config.LatentCount, sae.Config.InputDim, partners, count,
                    Pointer(member.Workspace.WeightGradient), Parallelism.MaxThreads);
            }
        }
    }

    /// <summary>The address of native (decoder, gradient) or pinned memory, which the GC never moves.</summary>
    private static unsafe float* Pointer(ReadOnlySpan<float> span) =>
        (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span));

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, double[]> SaveState()
    {
        var state = new Dictionary<string, double[]>();
        if (beta is double value) state["beta"] = [value];
        for (int p = 0; p < pairs.Length; p++)
        {
            if (!assignments[p].HasSolution) continue;
            state[$"pair{p}.column_for_row"] = assignments[p].ColumnForRow.ToArray().Select(j => (double)j).ToArray();
            state[$"pair{p}.row_for_column"] = assignments[p].RowForColumn.ToArray().Select(i => (double)i).ToArray();
            state[$"pair{p}.row_duals"] = assignments[p].RowDuals.ToArray();
            state[$"pair{p}.column_duals"] = assignments[p].ColumnDuals.ToArray();
            state[$"pair{p}.total"] = [assignments[p].Total];
        }
        return state;
    }

    /// <inheritdoc/>
    public void LoadState(IReadOnlyDictionary<string, double[]> state)
    {
        if (state.TryGetValue("beta", out var saved)) beta = saved[0];
        for (int p = 0; p < pairs.Length; p++)
        {
            if (!state.TryGetValue($"pair{p}.column_for_row", out var columnForRow)) continue;
            var rowForColumn = state[$"pair{p}.row_for_column"];
            var result = assignments[p];
            result.Prepare(columnForRow.Length, rowForColumn.Length, AssignmentObjective.MaximizeSimilarity);
            for (int i = 0; i < columnForRow.Length; i++) result.WritableColumnForRow[i] = (int)columnForRow[i];
            for (int j = 0; j < rowForColumn.Length; j++) result.WritableRowForColumn[j] = (int)rowForColumn[j];
            state[$"pair{p}.row_duals"].CopyTo(result.WritableRowDuals);
            state[$"pair{p}.column_duals"].CopyTo(result.WritableColumnDuals);
            result.Complete(state[$"pair{p}.total"][0], default);
        }
    }

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        foreach (var buffer in cosineMatrices) buffer.Dispose();
    }
}
