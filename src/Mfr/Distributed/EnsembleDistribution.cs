using System.Text.Json;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Distributed;

/// <summary>
/// One ensemble trained by the ranks of an MPI job (issue 17, ensemble-parallel): rank r trains the SAEs
/// <see cref="EnsemblePartition"/> gives it and holds a copy of the others. Every rank reads the same batch
/// itself (the data sources are deterministic), so no data moves; what moves each step is what the single-process
/// step reads across SAEs:
/// <list type="bullet">
/// <item>after the forward pass, each SAE's step figures (loss, activity score, L0, dead latents, re-initialisations)
/// and, when a regulariser couples the SAEs, its decoder D and row norms (the MFR penalty's matched-row gradient and its
/// assignment refresh read every SAE's pre-update D), by one allgather each (<see cref="ShareForward"/>);</item>
/// <item>after the update, whether any SAE's parameters stopped being finite (<see cref="AgreeOnFault"/>), so every
/// rank stops at the same step with the same message.</item>
/// </list>
/// Every rank then runs the regulariser over the whole ensemble (the same arithmetic on the same decoders and
/// assignments as one process; the MFR penalty's assignment refreshes are shared out by pair, <see cref="Attach"/>),
/// keeps the gradients of its own SAEs and updates only those: the result is bit-identical to the single-process run.
/// Rank 0 writes files; before a checkpoint or a periodic evaluation it gathers the SAEs (and optimiser state) it does
/// not train (<see cref="GatherToRoot"/>), and after loading a checkpoint it sends the whole state to the others
/// (<see cref="ShareState"/>), so a run resumes with any number of ranks.
/// Rank 0 drives: it broadcasts a <see cref="TrainingControl"/> before each of these steps, which the other ranks
/// (<see cref="DistributedWorker"/>) follow.
/// </summary>
public sealed class EnsembleDistribution
{
    private const int FixedFigures = 6;
    private readonly ICommunicator communicator;
    private readonly IReadOnlyList<SaeConfig> saes;
    private readonly int figuresPerMember;
    private readonly bool sharesDecoders;
    private readonly double[] ownFigures, allFigures;
    private readonly float[] ownDecoders, allDecoders;
    private readonly int[] figureCounts, decoderCounts;
    private readonly List<ReinitializationEvent> ownEvents = [];
    private long collectiveTicks;

    /// <summary>Prepares the exchange buffers for an ensemble of <paramref name="saes"/>.</summary>
    /// <param name="communicator">The job.</param>
    /// <param name="saes">Every SAE of the ensemble, in member order.</param>
    /// <param name="maxReinitializationsPerStep">Re-initialisations one SAE may log in one step (0 without re-initialisation).</param>
    /// <param name="sharesDecoders">Whether a regulariser reads every SAE's decoder each step (MFR penalty, mean-max); without one only the figures move.</param>
    /// <param name="data">Data-parallel instead (<c>MFR_MPI_MODE=data</c>): every rank trains every SAE on its slice of the batch.</param>
    public EnsembleDistribution(ICommunicator communicator, IReadOnlyList<SaeConfig> saes, int maxReinitializationsPerStep, bool sharesDecoders, DataParallelism? data = null)
    {
        this.communicator = communicator;
        this.saes = saes;
        Data = data;
        // Data-parallel: every rank holds and updates every SAE alike, as the one rank of an ensemble partition.
        Partition = data is null ? new EnsemblePartition(saes.Count, communicator.Size, communicator.Rank) : new EnsemblePartition(saes.Count, 1, 0);
        Partition.Validate();
        this.sharesDecoders = sharesDecoders;
        figuresPerMember = FixedFigures + maxReinitializationsPerStep;
        figureCounts = new int[communicator.Size];
        decoderCounts = new int[communicator.Size];
        for (int rank = 0; rank < (data is null ? communicator.Size : 0); rank++)
        {
            var (first, last) = Partition.MembersOf(rank);
            figureCounts[rank] = (last - first) * figuresPerMember;
            for (int m = first; m < last; m++) decoderCounts[rank] += sharesDecoders ? checked(DecoderLength(saes[m])) : 0;
        }
        ownFigures = new double[figureCounts[communicator.Rank]];
        allFigures = new double[saes.Count * figuresPerMember];
        ownDecoders = GC.AllocateUninitializedArray<float>(decoderCounts[communicator.Rank]);
        allDecoders = GC.AllocateUninitializedArray<float>(decoderCounts.Sum());
    }

    /// <summary>Data-parallel training (every rank trains every SAE on a slice of the batch), or null for ensemble-parallel.</summary>
    public DataParallelism? Data { get; }

    /// <summary>Which rank trains which SAE.</summary>
    public EnsemblePartition Partition { get; }

    /// <summary>The job.</summary>
    public ICommunicator Communicator => communicator;

    /// <summary>Whether this is rank 0, which drives the run and writes its files.</summary>
    public bool IsRoot => communicator.Rank == 0;

    /// <summary>Bytes this rank has moved in collectives so far.</summary>
    public long BytesCommunicated => communicator.BytesCommunicated;

    /// <summary>Wall time this rank has spent in the per-step collectives so far, waiting for the slowest rank included.</summary>
    public double CollectiveSeconds => collectiveTicks / (double)System.Diagnostics.Stopwatch.Frequency;

    private static int DecoderLength(SaeConfig sae) => checked(sae.LatentCount * sae.InputDim + sae.LatentCount);

    /// <summary>Rank 0: tells the other ranks what comes next (they wait for it in <see cref="ReceiveControl"/>).</summary>
    internal void SendControl(TrainingControl control) => BroadcastControl(control);

    /// <summary>The other ranks: what rank 0 says comes next.</summary>
    internal TrainingControl ReceiveControl() => BroadcastControl(default);

    private TrainingControl BroadcastControl(TrainingControl control)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        Span<long> word = [(long)control];
        communicator.Broadcast(word, root: 0);
        collectiveTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        return (TrainingControl)word[0];
    }

    /// <summary>Rank 0, at the start of every step: the others run the same step.</summary>
    internal void BeginStep()
    {
        if (IsRoot) SendControl(TrainingControl.Step);
    }

    /// <summary>
    /// Lets <paramref name="regularizer"/> share its work among the ranks where it can without changing a bit: the MFR
    /// penalty solves each pair's assignment refresh on one rank and sends the solution to the others.
    /// </summary>
    internal void Attach(IEnsembleRegularizer? regularizer)
    {
        if (regularizer is Regularization.MmcsPenalty penalty) penalty.ShareRefreshesAmong(communicator);
    }

    /// <summary>Notes a re-initialisation of one of this rank's SAEs (sent with the step's figures).</summary>
    internal void Record(ReinitializationEvent reinitialization) => ownEvents.Add(reinitialization);

    /// <summary>
    /// After the forward passes: every rank receives the step figures of the SAEs it does not train (filled into the
    /// arrays at their indices), their re-initialisations (passed to <paramref name="raise"/> in member order, for the log)
    /// and their decoders (copied into its copies of those SAEs).
    /// </summary>
    internal void ShareForward(long step, IReadOnlyList<EnsembleMember> members, double[] losses, double[] scores, double[] l0, int[] dead, Action<ReinitializationEvent> raise)
    {
        var (first, last) = Partition.MembersOf(communicator.Rank);
        int figureOffset = 0, decoderOffset = 0;
        for (int m = first; m < last; m++)
        {
            var figures = ownFigures.AsSpan(figureOffset, figuresPerMember);
            var events = ownEvents.Where(e => e.Sae == m).ToArray();
            figures.Clear();
            figures[0] = losses[m];
            figures[1] = scores[m];
            figures[2] = l0[m];
            figures[3] = dead[m];
            figures[4] = members[m].ReinitializationCount;
            figures[5] = events.Length;
            for (int i = 0; i < events.Length; i++) figures[FixedFigures + i] = events[i].Score;
            figureOffset += figuresPerMember;
            if (!sharesDecoders) continue;
            var sae = members[m].Sae;
            sae.Decoder.CopyTo(ownDecoders.AsSpan(decoderOffset));
            sae.RowNorms.CopyTo(ownDecoders.AsSpan(decoderOffset + sae.Decoder.Length));
            decoderOffset += DecoderLength(sae.Config);
        }
        ownEvents.Clear();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        communicator.AllGatherVariable<double>(ownFigures, figureCounts, allFigures);
        communicator.AllGatherVariable<float>(ownDecoders, decoderCounts, allDecoders);
        collectiveTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        decoderOffset = 0;
        for (int m = 0; m < members.Count; m++)
        {
            int length = sharesDecoders ? DecoderLength(saes[m]) : 0;
            if (!Partition.Owns(m)) Unpack(step, members[m], allFigures.AsSpan(m * figuresPerMember, figuresPerMember), allDecoders.AsSpan(decoderOffset, length), losses, scores, l0, dead, raise);
            decoderOffset += length;
        }
    }

    /// <summary>
    /// After the AuxK gradients (<see cref="Training.TrainingConfig.AuxKCoefficient"/> above 0): every rank receives the AuxK
    /// losses of the SAEs it does not train, filled into <paramref name="auxKLosses"/> at their indices, so the step line
    /// rank 0 logs is the one process's.
    /// </summary>
    internal void ShareAuxKLosses(double[] auxKLosses)
    {
        var (first, last) = Partition.MembersOf(communicator.Rank);
        Span<int> counts = stackalloc int[communicator.Size];
        for (int rank = 0; rank < communicator.Size; rank++)
        {
            var (rankFirst, rankLast) = Partition.MembersOf(rank);
            counts[rank] = rankLast - rankFirst;
        }
        var own = auxKLosses.AsSpan(first, last - first).ToArray();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        communicator.AllGatherVariable<double>(own, counts, auxKLosses);
        collectiveTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
    }

    private static void Unpack(long step, EnsembleMember member, ReadOnlySpan<double> figures, ReadOnlySpan<float> decoder, double[] losses, double[] scores, double[] l0, int[] dead,
        Action<ReinitializationEvent> raise)
    {
        int m = member.Index;
        (losses[m], scores[m], l0[m], dead[m]) = (figures[0], figures[1], figures[2], (int)figures[3]);
        int count = (int)figures[4], events = (int)figures[5];
        for (int i = 0; i < events; i++) raise(new ReinitializationEvent(step, m, figures[FixedFigures + i], count - events + i + 1));
        member.ReinitializationCount = count;
        if (decoder.IsEmpty) return;
        int weights = member.Sae.Config.LatentCount * member.Sae.Config.InputDim;
        member.Sae.CopyDecoderFrom(decoder[..weights], decoder[weights..]);
    }

    /// <summary>
    /// After the update: the first non-finite parameter of the ensemble, in member order, as every rank sees it
    /// (<paramref name="own"/> is this rank's first, or null), so that all ranks stop together.
    /// </summary>
    internal ParameterFault? AgreeOnFault(ParameterFault? own)
    {
        double[] mine = own is { } fault ? [fault.Member, (double)fault.Kind, fault.Index, fault.Value] : [-1, 0, 0, 0];
        var all = new double[4 * communicator.Size];
        var counts = Enumerable.Repeat(4, communicator.Size).ToArray();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        communicator.AllGatherVariable<double>(mine, counts, all);
        collectiveTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        for (int rank = 0; rank < communicator.Size; rank++)
        {
            var entry = all.AsSpan(4 * rank, 4);
            // Ranks hold members in increasing blocks, so the first rank reporting one holds the lowest member.
            if (entry[0] >= 0) return new ParameterFault((int)entry[0], (ParameterKind)(int)entry[1], (int)entry[2], entry[3]);
        }
        return null;
    }

    /// <summary>
    /// Rank 0 receives the parameters (and with <paramref name="includeOptimizer"/> the AdamW moments, step counts and
    /// dead-latent clocks) of the SAEs other ranks train, so that it can evaluate, checkpoint or save the whole ensemble.
    /// </summary>
    public void GatherToRoot(Trainer trainer, bool includeOptimizer)
    {
        if (IsRoot) SendControl(includeOptimizer ? TrainingControl.GatherState : TrainingControl.GatherParameters);
        // Data-parallel: every rank already holds the whole state, the same bits as rank 0.
        if (Data is not null) return;
        var members = trainer.Members;
        var floatCounts = new int[communicator.Size];
        var longCounts = new int[communicator.Size];
        for (int rank = 0; rank < communicator.Size; rank++)
        {
            var (first, last) = Partition.MembersOf(rank);
            for (int m = first; m < last; m++)
            {
                floatCounts[rank] += StateLength(members[m], includeOptimizer);
                longCounts[rank] += includeOptimizer ? 1 + saes[m].LatentCount : 0;
            }
        }
        var (own, ownLast) = Partition.MembersOf(communicator.Rank);
        var floats = new float[floatCounts[communicator.Rank]];
        var longs = new long[longCounts[communicator.Rank]];
        int floatOffset = 0, longOffset = 0;
        for (int m = own; m < ownLast; m++) Pack(members[m], trainer.LastFiredStep[m], includeOptimizer, floats, ref floatOffset, longs, ref longOffset);
        var allFloats = IsRoot ? new float[floatCounts.Sum()] : [];
        var allLongs = IsRoot ? new long[longCounts.Sum()] : [];
        communicator.GatherVariable<float>(floats, floatCounts, allFloats, root: 0);
        communicator.GatherVariable<long>(longs, longCounts, allLongs, root: 0);
        if (!IsRoot) return;
        floatOffset = longOffset = 0;
        for (int m = 0; m < members.Count; m++)
        {
            if (Partition.Owns(m))
            {
                Skip(members[m], includeOptimizer, ref floatOffset, ref longOffset);
                continue;
            }
            Unpack(members[m], trainer.LastFiredStep[m], includeOptimizer, allFloats, ref floatOffset, allLongs, ref longOffset);
        }
    }

    /// <summary>
    /// Rank 0 sends its whole state (every SAE, optimiser, dead-latent clocks, the regulariser's state, the position) to
    /// the others, which take it: after a start or a resume from a checkpoint, every rank continues from the same state.
    /// </summary>
    public void ShareState(Trainer trainer)
    {
        foreach (var member in trainer.Members)
        {
            for (int i = 0; i < StateBufferCount(includeOptimizer: true); i++) communicator.Broadcast(StateBuffer(member, i), root: 0);
            Span<long> counters = [member.Optimizer.StepCount, member.ReinitializationCount];
            communicator.Broadcast(counters, root: 0);
            communicator.Broadcast<long>(trainer.LastFiredStep[member.Index], root: 0);
            if (IsRoot) continue;
            member.Optimizer.StepCount = counters[0];
            member.ReinitializationCount = (int)counters[1];
            member.Sae.RefreshDecoder();
        }
        byte[] regularizer = BroadcastBytes(IsRoot ? JsonSerializer.SerializeToUtf8Bytes(trainer.Regularizer?.SaveState() ?? new Dictionary<string, double[]>(), MetricLog.JsonOptions) : null);
        Span<long> step = [trainer.Step];
        Span<double> elapsed = [trainer.ElapsedSeconds];
        communicator.Broadcast(step, root: 0);
        communicator.Broadcast(elapsed, root: 0);
        if (IsRoot) return;
        trainer.Regularizer?.LoadState(JsonSerializer.Deserialize<Dictionary<string, double[]>>(regularizer, MetricLog.JsonOptions)!);
        trainer.RestorePosition(step[0], elapsed[0]);
    }

    /// <summary>Rank 0's <paramref name="bytes"/> on every rank (length first).</summary>
    internal byte[] BroadcastBytes(byte[]? bytes)
    {
        Span<long> length = [bytes?.Length ?? 0];
        communicator.Broadcast(length, root: 0);
        var buffer = IsRoot ? bytes! : new byte[length[0]];
        communicator.Broadcast<byte>(buffer, root: 0);
        return buffer;
    }

    /// <summary>Buffers moved per SAE: W, b, b_dec and, with <paramref name="includeOptimizer"/>, the six AdamW moments.</summary>
    private static int StateBufferCount(bool includeOptimizer) => includeOptimizer ? 9 : 3;

    /// <summary>State buffer <paramref name="index"/> of <paramref name="member"/>, in the order of <see cref="StateBufferCount"/>.</summary>
    private static Span<float> StateBuffer(EnsembleMember member, int index) => index switch
    {
        0 => member.Sae.Weights,
        1 => member.Sae.Bias,
        2 => member.Sae.DecoderBias,
        _ => member.Optimizer.State.ElementAt(index - 3).Buffer.Span,
    };

    private static int StateLength(EnsembleMember member, bool includeOptimizer)
    {
        int length = 0;
        for (int i = 0; i < StateBufferCount(includeOptimizer); i++) length += StateBuffer(member, i).Length;
        return length;
    }

    private static void Pack(EnsembleMember member, long[] lastFired, bool includeOptimizer, float[] floats, ref int floatOffset, long[] longs, ref int longOffset)
    {
        for (int i = 0; i < StateBufferCount(includeOptimizer); i++)
        {
            var buffer = StateBuffer(member, i);
            buffer.CopyTo(floats.AsSpan(floatOffset));
            floatOffset += buffer.Length;
        }
        if (!includeOptimizer) return;
        longs[longOffset++] = member.Optimizer.StepCount;
        lastFired.CopyTo(longs, longOffset);
        longOffset += lastFired.Length;
    }

    private static void Skip(EnsembleMember member, bool includeOptimizer, ref int floatOffset, ref int longOffset)
    {
        floatOffset += StateLength(member, includeOptimizer);
        if (includeOptimizer) longOffset += 1 + member.Sae.Config.LatentCount;
    }

    private static void Unpack(EnsembleMember member, long[] lastFired, bool includeOptimizer, float[] floats, ref int floatOffset, long[] longs, ref int longOffset)
    {
        for (int i = 0; i < StateBufferCount(includeOptimizer); i++)
        {
            var buffer = StateBuffer(member, i);
            floats.AsSpan(floatOffset, buffer.Length).CopyTo(buffer);
            floatOffset += buffer.Length;
        }
        // D follows from W exactly as on the rank that trains it (the same kernel on the same W).
        member.Sae.RefreshDecoder();
        if (!includeOptimizer) return;
        member.Optimizer.StepCount = longs[longOffset++];
        longs.AsSpan(longOffset, lastFired.Length).CopyTo(lastFired);
        longOffset += lastFired.Length;
    }
}
