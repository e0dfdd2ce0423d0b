using System.Diagnostics;
using Mfr.Data;
using Mfr.Distributed;
using Mfr.IO;
using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;

namespace Mfr.Training;

/// <summary>
/// Trains an ensemble of SAEs on one stream of batches: every SAE sees the same batch each step.
/// Without a regulariser or re-initialisation the SAEs are independent baselines; with them this
/// is MFR (SPEC 2). Step t (1-based) reads batch t - 1 of the source, so a run resumed from a
/// checkpoint at step s continues with exactly the batches an uninterrupted run would see.
/// A step whose loss or updated parameters are not finite throws <see cref="TrainingDivergedException"/>
/// (issue 13, class 4) instead of training on, so NaN never reaches a checkpoint or the final SAEs.
/// Under MPI (issue 17) an <see cref="EnsembleDistribution"/> gives this process some of the SAEs: it trains those
/// (<see cref="Owns"/>) and receives the others' figures and decoders after the forward pass, so the step is the same
/// arithmetic as in one process. Data-parallel (<see cref="EnsembleDistribution.Data"/>, <c>MFR_MPI_MODE=data</c>) it trains
/// every SAE on its slice of each batch and combines the slices' losses, fire counts and gradients before the regulariser.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly IVectorSource source;
    private readonly IEnsembleRegularizer? regularizer;
    private readonly ReinitializationConfig? reinitialization;
    private readonly AlignedBuffer batch;
    private readonly long[][] lastFiredStep;
    private readonly long deadWindowSteps;
    // Per member, the AuxK loss when TrainingConfig.AuxKCoefficient > 0, else null (the step is then unchanged).
    private readonly AuxKLoss?[] auxK;
    private readonly StepTimer timer = new();
    private double elapsedBeforeResume;
    private readonly Stopwatch clock = new();
    // Null in a single process, which trains every member.
    private readonly EnsembleDistribution? distribution;
    private readonly EnsembleMember[] ownMembers;

    /// <summary>Builds the ensemble; member m is initialised from a seed derived from (config seed, m).</summary>
    /// <param name="config">Run length, batch size, optimiser, seed.</param>
    /// <param name="saeConfigs">One config per SAE (they may differ in k).</param>
    /// <param name="source">Training batches; its dimension must equal every SAE's input width.</param>
    /// <param name="regularizer">Coupling between the SAEs (MFR penalty), or null.</param>
    /// <param name="reinitialization">Conditional re-initialisation settings, or null for none.</param>
    /// <param name="distribution">The MPI job's share of the ensemble for this process, or null to train every SAE here.</param>
    public Trainer(TrainingConfig config, IReadOnlyList<SaeConfig> saeConfigs, IVectorSource source, IEnsembleRegularizer? regularizer = null, ReinitializationConfig? reinitialization = null,
        EnsembleDistribution? distribution = null)
    {
        config.Validate();
        reinitialization?.Validate();
        if (saeConfigs.Count == 0) throw new ArgumentException("An ensemble needs at least one SAE.");
        foreach (var saeConfig in saeConfigs)
        {
            saeConfig.Validate();
            if (saeConfig.InputDim != source.Dimension)
                throw new ArgumentException($"SAE input width {saeConfig.InputDim} does not match the data's dimension {source.Dimension} ({source.Description}).");
        }
        // Refused before the first buffer: a hostile --latents or --batch-size must not run until the OS kills it (issue 13, class 9).
        TrainingMemory.Require(TrainingMemory.EstimateTrainerBytes(config.BatchSize, saeConfigs, source.Dimension, null, config.AuxKCoefficient, config.EncoderPrecision), TrainingMemory.AvailableBytes,
            TrainingMemory.DescribeShape(config.BatchSize, saeConfigs, source.Dimension));
        Config = config;
        this.source = source;
        this.regularizer = regularizer;
        this.reinitialization = reinitialization;
        this.distribution = distribution;
        distribution?.Attach(regularizer);
        // An SAE another rank trains needs no batch buffers here: its copy only carries its decoder to the regulariser.
        Members = saeConfigs.Select((saeConfig, m) => new EnsembleMember(m, saeConfig, MemberSeed(config.Seed, m), Owns(m) ? config.BatchSize : 1, config.Adam, config.EncoderPrecision)).ToArray();
        ownMembers = Members.Where(member => Owns(member.Index)).ToArray();
        batch = new AlignedBuffer((long)config.BatchSize * source.Dimension);
        lastFiredStep = saeConfigs.Select(c => new long[c.LatentCount]).ToArray();
        deadWindowSteps = Math.Max(1, (config.DeadLatentWindowSamples + config.BatchSize - 1) / config.BatchSize);
        auxK = saeConfigs.Select((c, m) => config.AuxKCoefficient > 0 && Owns(m) ? new AuxKLoss(c, config.BatchSize, config.AuxKCoefficient) : null).ToArray();
    }

    /// <summary>Seed of member <paramref name="member"/>'s first initialisation.</summary>
    public static ulong MemberSeed(ulong seed, int member) => Rng.ForStream(seed, 0x5AE0_0000UL + (ulong)member).NextUInt64();

    /// <summary>The run's settings.</summary>
    public TrainingConfig Config { get; }

    /// <summary>The SAEs being trained.</summary>
    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <summary>Whether this process trains member <paramref name="member"/> (always, in a single process).</summary>
    public bool Owns(int member) => distribution?.Partition.Owns(member) ?? true;

    /// <summary>The MPI job's share of the ensemble, or null in a single process.</summary>
    internal EnsembleDistribution? Distribution => distribution;

    /// <summary>The regulariser, if any.</summary>
    public IEnsembleRegularizer? Regularizer => regularizer;

    /// <summary>Steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>Per-phase wall time of the steps run by this process.</summary>
    public StepTimer Timer => timer;

    /// <summary>Called for every re-initialisation (the run logs them).</summary>
    public event Action<ReinitializationEvent>? Reinitialized;

    /// <summary>Wall time of the run including time before a resume.</summary>
    public double ElapsedSeconds => elapsedBeforeResume + clock.Elapsed.TotalSeconds;

    /// <summary>Last step at which each latent of each SAE fired (for checkpoints).</summary>
    internal long[][] LastFiredStep => lastFiredStep;

    /// <summary>Sets the position after loading a checkpoint.</summary>
    internal void RestorePosition(long step, double elapsedSeconds)
    {
        Step = step;
        elapsedBeforeResume = elapsedSeconds;
    }

    /// <summary>Runs one step on batch <see cref="Step"/> and returns its metrics.</summary>
    public StepMetrics TrainStep()
    {
        clock.Start();
        distribution?.BeginStep();
        long step = Step + 1;
        int batchSize = Config.BatchSize;
        var inputs = batch.Span;
        timer.Start();
        source.ReadBatch(step - 1, batchSize, inputs);
        timer.Stop(StepTimer.Phase.Data);

        // Data-parallel (MFR_MPI_MODE=data): this rank computes its slice of the batch; the slices' sums are combined below.
        var data = distribution?.Data;
        int rows = data?.SliceCount ?? batchSize;
        var rowInputs = data is null ? inputs : inputs.Slice(data.SliceStart * source.Dimension, rows * source.Dimension);
        int count = Members.Count;
        var (losses, scores, l0, dead) = (new double[count], new double[count], new double[count], new int[count]);
        foreach (var member in ownMembers) (losses[member.Index], scores[member.Index]) = ForwardWithReinitialization(step, member, rowInputs, rows);
        if (data is not null)
        {
            data.ReduceForward(Members, losses);
            foreach (var member in Members) scores[member.Index] = ActivityDeviation.Score(member.Workspace.FireCounts, batchSize, member.Sae.Config.K);
        }
        foreach (var member in ownMembers)
        {
            l0[member.Index] = L0(member.Workspace, batchSize);
            dead[member.Index] = CountDeadLatents(member, step);
        }
        if (data is null) distribution?.ShareForward(step, Members, losses, scores, l0, dead, OnReinitialized);
        CheckLosses(step, losses);
        foreach (var member in ownMembers) SaeComputation.Backward(member.Sae, rowInputs, member.Workspace, timer);
        double[]? auxKLosses = Config.AuxKCoefficient > 0 ? new double[count] : null;
        foreach (var member in ownMembers)
            if (auxK[member.Index] is { } loss) auxKLosses![member.Index] = loss.AddGradient(member.Sae, inputs, member.Workspace, lastFiredStep[member.Index], step, deadWindowSteps);
        // Under mpirun each rank computed its own SAEs' AuxK losses; the step line logs all of them (issue 17: same log as one process).
        if (auxKLosses is not null && data is null) distribution?.ShareAuxKLosses(auxKLosses);
        data?.ReduceGradients(Members);

        timer.Start();
        var outcome = regularizer?.Apply(step, Members, losses) ?? RegularizerOutcome.None;
        timer.Stop(StepTimer.Phase.Regularizer);

        timer.Start();
        foreach (var member in ownMembers) member.Optimizer.Step(member.Sae, member.Workspace);
        CheckParameters(step);
        timer.Stop(StepTimer.Phase.Optimizer);
        foreach (var member in ownMembers) UpdateLastFired(member, step);

        Step = step;
        var metrics = new StepMetrics(step, step * batchSize, losses, l0, dead,
            scores, outcome.Penalty, double.IsNaN(outcome.Beta) ? null : outcome.Beta, outcome.PairMmcs.ToArray(), 0, auxKLosses);
        clock.Stop();
        return metrics with { ElapsedSeconds = ElapsedSeconds };
    }

    private (double Loss, double Score) ForwardWithReinitialization(long step, EnsembleMember member, Span<float> inputs, int batchSize)
    {
        int k = member.Sae.Config.K;
        double loss = SaeComputation.Forward(member.Sae, inputs, batchSize, member.Workspace, timer);
        double score = ActivityDeviation.Score(member.Workspace.FireCounts, batchSize, k);
        if (reinitialization is null || !reinitialization.Checks(step)) return (loss, score);
        for (int attempt = 0; attempt < reinitialization.MaxAttemptsPerStep && score > reinitialization.Threshold; attempt++)
        {
            // SPEC 2: draw W and b afresh, reset the optimiser, recompute the batch.
            member.Reinitialize();
            var reinitialization = new ReinitializationEvent(step, member.Index, score, member.ReinitializationCount);
            distribution?.Record(reinitialization);
            OnReinitialized(reinitialization);
            loss = SaeComputation.Forward(member.Sae, inputs, batchSize, member.Workspace, timer);
            score = ActivityDeviation.Score(member.Workspace.FireCounts, batchSize, k);
        }
        return (loss, score);
    }

    private void OnReinitialized(ReinitializationEvent reinitialization) => Reinitialized?.Invoke(reinitialization);

    /// <summary>
    /// A non-finite loss stops the step before its gradients reach the regulariser or the optimiser, so the
    /// divergence is reported here, at its step and SAE, not later as a NaN cost matrix in the MFR assignment.
    /// </summary>
    private static void CheckLosses(long step, double[] losses)
    {
        for (int m = 0; m < losses.Length; m++)
            if (!double.IsFinite(losses[m])) throw new TrainingDivergedException(step, m, $"reconstruction loss is {Describe(losses[m])}");
    }

    /// <summary>
    /// Checks the parameters the update just wrote. A non-finite entry of W makes its row norm non-finite (NaN or
    /// infinity propagates through the sum of squares, and a finite row too large for float overflows it), and
    /// <see cref="TopKSae.RefreshDecoder"/> has just computed those norms: scanning them, b and b_dec costs
    /// 2h + d reads per SAE, nothing against the step's B d h products, so it runs every step.
    /// </summary>
    private void CheckParameters(long step)
    {
        var fault = FirstNonFiniteParameter();
        // Under MPI every rank learns of a fault on any rank, so all stop at this step with the same message.
        if (distribution is not null) fault = distribution.AgreeOnFault(fault);
        if (fault is { } found) throw new TrainingDivergedException(step, found.Member, found.Reason);
    }

    private ParameterFault? FirstNonFiniteParameter()
    {
        foreach (var member in ownMembers)
        {
            var sae = member.Sae;
            if (ElementConversion.IndexOfNonFinite(sae.RowNorms) is int row and >= 0) return new ParameterFault(member.Index, ParameterKind.WeightRow, row, sae.RowNorms[row]);
            if (ElementConversion.IndexOfNonFinite(sae.Bias) is int latent and >= 0) return new ParameterFault(member.Index, ParameterKind.Bias, latent, sae.Bias[latent]);
            if (ElementConversion.IndexOfNonFinite(sae.DecoderBias) is int column and >= 0) return new ParameterFault(member.Index, ParameterKind.DecoderBias, column, sae.DecoderBias[column]);
        }
        return null;
    }

    private static string Describe(double value) => ParameterFault.Describe(value);

    private static double L0(SaeWorkspace workspace, int batchSize)
    {
        long active = 0;
        foreach (int count in workspace.FireCounts) active += count;
        return active / (double)batchSize;
    }

    /// <summary>Latents of <paramref name="member"/> silent on this batch and for the whole dead-latent window before it.</summary>
    private int CountDeadLatents(EnsembleMember member, long step)
    {
        var fired = member.Workspace.FireCounts;
        var last = lastFiredStep[member.Index];
        int dead = 0;
        for (int j = 0; j < last.Length; j++)
            if (fired[j] == 0 && step - last[j] >= deadWindowSteps) dead++;
        return dead;
    }

    /// <summary>Moves the last-fired step of every latent that fired on this batch (after AuxK has read the old one).</summary>
    private void UpdateLastFired(EnsembleMember member, long step)
    {
        var fired = member.Workspace.FireCounts;
        var last = lastFiredStep[member.Index];
        for (int j = 0; j < last.Length; j++)
            if (fired[j] > 0) last[j] = step;
    }

    /// <summary>Frees every buffer.</summary>
    public void Dispose()
    {
        foreach (var member in Members) member.Dispose();
        foreach (var loss in auxK) loss?.Dispose();
        (regularizer as IDisposable)?.Dispose();
        batch.Dispose();
    }
}
