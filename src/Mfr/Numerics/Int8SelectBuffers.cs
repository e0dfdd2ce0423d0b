namespace Mfr.Numerics;

/// <summary>
/// The int8-select encoder's buffers for one shape, allocated once (STYLE.md 9) and owned by the SAE workspace
/// that opts in: input codes, the integer products, the packed weight codes and the per-row and per-latent
/// factors of the bound (<see cref="Int8SelectBound"/>). Rows are padded to a multiple of every micro-kernel's
/// row tile and latents to a multiple of every latent tile, so the product never needs edge tiles.
/// Legend: B batch, d input width, h latents, G = ceil(d / 4) groups of 4 depth bytes.
/// </summary>
internal sealed unsafe class Int8SelectBuffers : IDisposable
{
    /// <summary>Rows are padded to a multiple of this: 24 = lcm of the row tiles 4, 6 and 8.</summary>
    public const int RowMultiple = 24;

    /// <summary>Latents are padded to a multiple of this: the widest latent tile.</summary>
    public const int LatentMultiple = 32;

    private readonly AlignedBuffer inputCodes, rowFactors, products, packedWeights, latentFactors;

    /// <summary>Allocates buffers for batches of up to <paramref name="maxBatchSize"/> rows of width <paramref name="inputDim"/> and <paramref name="latentCount"/> latents.</summary>
    public Int8SelectBuffers(int maxBatchSize, int inputDim, int latentCount)
    {
        if (maxBatchSize < 1 || inputDim < 1 || latentCount < 1)
            throw new ArgumentException($"Int8-select buffers need positive sizes, got batch {maxBatchSize}, d {inputDim}, h {latentCount}.");
        MaxBatchSize = maxBatchSize;
        InputDim = inputDim;
        LatentCount = latentCount;
        GroupCount = (inputDim + 3) / 4;
        PaddedRows = (maxBatchSize + RowMultiple - 1) / RowMultiple * RowMultiple;
        PaddedLatents = (latentCount + LatentMultiple - 1) / LatentMultiple * LatentMultiple;
        // Bytes and ints live in float buffers: GroupCount ints hold a row of 4 GroupCount bytes.
        inputCodes = new AlignedBuffer((long)PaddedRows * GroupCount);
        rowFactors = new AlignedBuffer(3L * PaddedRows);
        products = new AlignedBuffer((long)PaddedRows * PaddedLatents);
        packedWeights = new AlignedBuffer((long)PaddedLatents * GroupCount);
        latentFactors = new AlignedBuffer(5L * PaddedLatents);
    }

    /// <summary>The bytes the buffers for this shape take (the memory estimate's share of an int8-select SAE).</summary>
    public static double Bytes(int maxBatchSize, int inputDim, int latentCount)
    {
        double groups = (inputDim + 3) / 4;
        double rows = (maxBatchSize + RowMultiple - 1) / RowMultiple * (double)RowMultiple;
        double latents = (latentCount + LatentMultiple - 1) / LatentMultiple * (double)LatentMultiple;
        return sizeof(float) * (rows * groups + 3 * rows + rows * latents + latents * groups + 5 * latents);
    }

    /// <summary>Largest batch.</summary>
    public int MaxBatchSize { get; }

    /// <summary>d.</summary>
    public int InputDim { get; }

    /// <summary>h.</summary>
    public int LatentCount { get; }

    /// <summary>G = ceil(d / 4): int32 groups of 4 depth bytes per row.</summary>
    public int GroupCount { get; }

    /// <summary>Rows of the padded buffers.</summary>
    public int PaddedRows { get; }

    /// <summary>Latents of the padded buffers.</summary>
    public int PaddedLatents { get; }

    /// <summary>Input codes plus offset, <c>[PaddedRows, 4 G]</c> bytes.</summary>
    public byte* InputCodes => (byte*)inputCodes.Pointer;

    /// <summary>s_x per row, <c>[PaddedRows]</c>.</summary>
    public float* RowScale => rowFactors.Pointer;

    /// <summary>A of the bound per row, <c>[PaddedRows]</c>.</summary>
    public float* RowA => rowFactors.Pointer + PaddedRows;

    /// <summary>B of the bound per row, <c>[PaddedRows]</c>.</summary>
    public float* RowB => rowFactors.Pointer + 2L * PaddedRows;

    /// <summary>Integer products <c>(x_q + offset) . w_q</c>, <c>[PaddedRows, PaddedLatents]</c>; the selection overwrites each row with lower bounds (floats).</summary>
    public int* Products => (int*)products.Pointer;

    /// <summary>Weight codes, <c>[PaddedLatents / 16, G, 16]</c> int32 of 4 signed bytes.</summary>
    public int* PackedWeights => (int*)packedWeights.Pointer;

    /// <summary>s_j, <c>[PaddedLatents]</c>.</summary>
    public float* WeightScale => latentFactors.Pointer;

    /// <summary>||w_j|| (inflated), <c>[PaddedLatents]</c>.</summary>
    public float* WeightNorm => latentFactors.Pointer + PaddedLatents;

    /// <summary>||e_w,j|| (inflated), <c>[PaddedLatents]</c>.</summary>
    public float* WeightError => latentFactors.Pointer + 2L * PaddedLatents;

    /// <summary>rho |b_j| (inflated), <c>[PaddedLatents]</c>.</summary>
    public float* BiasTerm => latentFactors.Pointer + 3L * PaddedLatents;

    /// <summary>Sum of w_q,j's codes, <c>[PaddedLatents]</c> (ints).</summary>
    public int* ColumnSum => (int*)(latentFactors.Pointer + 4L * PaddedLatents);

    /// <summary>Candidates summed over the rows of the last encode (the bound's price: k per row would be free).</summary>
    public long LastCandidateTotal { get; set; }

    /// <summary>Wall time of the last vector-path encode's phases (zero after a reference encode).</summary>
    public Times LastTimes { get; set; }

    /// <summary>The buffers as raw pointers, for the parallel work items (which must be unmanaged).</summary>
    public View Pointers => new()
    {
        InputCodes = InputCodes,
        RowScale = RowScale,
        RowA = RowA,
        RowB = RowB,
        Products = Products,
        PackedWeights = PackedWeights,
        WeightScale = WeightScale,
        WeightNorm = WeightNorm,
        WeightError = WeightError,
        BiasTerm = BiasTerm,
        ColumnSum = ColumnSum,
        GroupCount = GroupCount,
        PaddedLatents = PaddedLatents,
    };

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        inputCodes.Dispose();
        rowFactors.Dispose();
        products.Dispose();
        packedWeights.Dispose();
        latentFactors.Dispose();
    }

    /// <summary>The pointers and sizes of <see cref="Int8SelectBuffers"/> (see its properties), valid while it lives.</summary>
    internal struct View
    {
        public byte* InputCodes;
        public float* RowScale, RowA, RowB, WeightScale, WeightNorm, WeightError, BiasTerm;
        public int* Products, PackedWeights, ColumnSum;
        public int GroupCount, PaddedLatents;
    }

    /// <summary>Seconds per phase of one encode: quantising W, quantising x, the integer product, bounds + candidates + recompute + TopK.</summary>
    internal readonly record struct Times(double WeightQuantisation, double InputQuantisation, double Product, double Selection);
}
