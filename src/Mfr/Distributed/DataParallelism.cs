using Mfr.Training;

namespace Mfr.Distributed;

/// <summary>
/// Data-parallel training within each SAE (issue 17 item 4, opt-in with <c>MFR_MPI_MODE=data</c>): for SAEs too wide for one
/// node's time budget. Every rank holds every SAE and reads the whole batch itself (the sources are deterministic); rank r
/// runs the forward and backward passes on rows [r B/R, (r + 1) B/R) only. Then the ranks combine what the step sums over
/// the batch, in a fixed order so that a run is reproducible run to run and every rank ends each step with the same bits:
/// <list type="bullet">
/// <item>after the forward pass, the slices' losses (their mean) and latent fire counts (their sum: the L0, the activity
/// score and the dead-latent clocks then read the whole batch's counts), by one allgather each;</item>
/// <item>after the backward pass, the gradients of W, b and b_dec: each rank's slice gradient is gathered and every rank
/// sums them in rank order in double and divides by R (each slice's mean-squared-error gradient is normalised by its own
/// B/R rows), before the regulariser adds its term on the parameters every rank holds alike and AdamW updates them.</item>
/// </list>
/// The result differs from one process only by the reduction order of those sums (float rounding: the README states the
/// tolerance the tests hold it to). Not supported, and refused before training: conditional re-initialisation (it redraws
/// an SAE inside the forward pass from the whole batch's score) and AuxK (its dead-latent residual TopK is per batch).
/// </summary>
public sealed class DataParallelism
{
    private readonly ICommunicator communicator;
    private readonly int[] lossCounts;

    /// <summary>Splits batches of <paramref name="batchSize"/> rows among the ranks of <paramref name="communicator"/>.</summary>
    /// <exception cref="ArgumentException">The batch does not divide evenly among the ranks.</exception>
    public DataParallelism(ICommunicator communicator, int batchSize)
    {
        CheckBatch(batchSize, communicator.Size);
        this.communicator = communicator;
        SliceCount = batchSize / communicator.Size;
        SliceStart = communicator.Rank * SliceCount;
        lossCounts = new int[communicator.Size];
    }

    /// <summary>First row of the batch this rank computes.</summary>
    public int SliceStart { get; }

    /// <summary>Rows of the batch this rank computes (B/R).</summary>
    public int SliceCount { get; }

    /// <summary>Throws <see cref="ArgumentException"/> unless batches of <paramref name="batchSize"/> rows divide evenly among <paramref name="rankCount"/> ranks.</summary>
    public static void CheckBatch(int batchSize, int rankCount)
    {
        if (batchSize % rankCount != 0)
            throw new ArgumentException($"MFR_MPI_MODE=data needs a --batch-size divisible by the {rankCount} ranks, got {batchSize}.");
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a run data-parallel training does not support (see the class summary).</summary>
    public static void Check(RunSpecification specification)
    {
        if (specification.Regularization is { UsesReinitialization: true })
            throw new ArgumentException("MFR_MPI_MODE=data does not support conditional re-initialisation (--mode mfr or reinit); use --mode penalty, mean-max or baseline, or MFR_MPI_MODE=ensemble.");
        if (specification.Training.AuxKCoefficient > 0)
            throw new ArgumentException("MFR_MPI_MODE=data does not support AuxK (--auxk); train without it or use MFR_MPI_MODE=ensemble.");
    }

    /// <summary>After the forward passes on the slices: every SAE's loss becomes the batch's (the slices' mean in rank order) and its fire counts the batch's.</summary>
    internal void ReduceForward(IReadOnlyList<EnsembleMember> members, double[] losses)
    {
        int ranks = communicator.Size;
        Array.Fill(lossCounts, losses.Length);
        var allLosses = new double[losses.Length * ranks];
        communicator.AllGatherVariable<double>(losses, lossCounts, allLosses);
        for (int m = 0; m < losses.Length; m++)
        {
            double sum = 0;
            for (int rank = 0; rank < ranks; rank++) sum += allLosses[rank * losses.Length + m];
            losses[m] = sum / ranks;
        }
        foreach (var member in members)
        {
            var fireCounts = member.Workspace.FireCounts;
            var all = new int[fireCounts.Length * ranks];
            communicator.AllGatherVariable<int>(fireCounts, Enumerable.Repeat(fireCounts.Length, ranks).ToArray(), all);
            for (int j = 0; j < fireCounts.Length; j++)
            {
                int sum = 0;
                for (int rank = 0; rank < ranks; rank++) sum += all[rank * fireCounts.Length + j];
                fireCounts[j] = sum;
            }
        }
    }

    /// <summary>After the backward passes on the slices: every SAE's W, b and b_dec gradients become the batch's, the same bits on every rank.</summary>
    internal void ReduceGradients(IReadOnlyList<EnsembleMember> members)
    {
        foreach (var member in members)
        {
            var workspace = member.Workspace;
            Reduce(workspace.WeightGradient);
            Reduce(workspace.BiasGradient);
            Reduce(workspace.DecoderBiasGradient);
        }
    }

    private void Reduce(Span<float> gradient)
    {
        int ranks = communicator.Size, length = gradient.Length;
        var all = GC.AllocateUninitializedArray<float>(checked(length * ranks));
        communicator.AllGatherVariable<float>(gradient, Enumerable.Repeat(length, ranks).ToArray(), all);
        for (int i = 0; i < length; i++)
        {
            double sum = 0;
            for (int rank = 0; rank < ranks; rank++) sum += all[rank * length + i];
            gradient[i] = (float)(sum / ranks);
        }
    }
}
