namespace Mfr.Numerics;

/// <summary>
/// The blocked integer product of the int8-select encoder, <c>Products[B, h] = InputCodes[B, 4G] . PackedWeights^T</c>,
/// around a micro-kernel (the loops of <see cref="GemmDriver{TKernel}"/> without packing: the inputs are read in
/// place, the weights come packed). Depth runs in blocks of at most <see cref="GroupBlock"/> groups and latents in
/// blocks whose packed weights fit <see cref="PackedBudgetBytes"/>, so a block stays in L2 while every row tile
/// passes over it; row tiles are split between threads. Integer sums are exact, so the result is the same for any
/// blocking and thread count.
/// </summary>
/// <typeparam name="TKernel">The micro-kernel.</typeparam>
internal static unsafe class Int8Product<TKernel>
    where TKernel : struct, IInt8MicroKernel
{
    /// <summary>Largest depth block: 256 groups = 1 KB of codes per latent, 16 KB per sliver.</summary>
    public const int GroupBlock = 256;

    /// <summary>Bytes of packed weights per block: the L2 share <see cref="GemmDriver{TKernel}"/> gives its packed B.</summary>
    public const int PackedBudgetBytes = 512 * 1024;

    /// <summary>Multiplies the first <paramref name="rowCount"/> rows (rounded up to whole tiles, which the buffers hold) by every latent.</summary>
    /// <param name="buffers">Codes in, products out.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void Multiply(Int8SelectBuffers buffers, int rowCount, int maxThreads)
    {
        int groupCount = buffers.GroupCount;
        int depthBlocks = (groupCount + GroupBlock - 1) / GroupBlock;
        int groupsPerBlock = (groupCount + depthBlocks - 1) / depthBlocks;
        int tile = TKernel.LatentTile;
        int latentBlock = Math.Min(buffers.PaddedLatents, Math.Max(tile, PackedBudgetBytes / (4 * groupsPerBlock) / tile * tile));
        int rowTiles = (rowCount + TKernel.RowTile - 1) / TKernel.RowTile;
        int tilesPerPart = Math.Max(1, Math.Min(8, rowTiles / (8 * maxThreads)));
        for (int firstLatent = 0; firstLatent < buffers.PaddedLatents; firstLatent += latentBlock)
        {
            for (int firstGroup = 0; firstGroup < groupCount; firstGroup += groupsPerBlock)
            {
                var work = new BlockWork
                {
                    Inputs = buffers.InputCodes + 4L * firstGroup,
                    InputStride = 4 * (nint)groupCount,
                    Weights = buffers.PackedWeights + (nint)firstLatent * groupCount + 16L * firstGroup,
                    SliverStride = 16 * (nint)groupCount,
                    Groups = Math.Min(groupsPerBlock, groupCount - firstGroup),
                    Products = buffers.Products + firstLatent,
                    ProductStride = buffers.PaddedLatents,
                    Latents = Math.Min(latentBlock, buffers.PaddedLatents - firstLatent),
                    RowTiles = rowTiles,
                    TilesPerPart = tilesPerPart,
                    Add = firstGroup > 0,
                };
                WorkerPool.Run(ref work, (rowTiles + tilesPerPart - 1) / tilesPerPart, (long)rowCount * buffers.PaddedLatents * groupCount < (1 << 18) ? 1 : maxThreads);
            }
        }
    }

    private struct BlockWork : IParallelWork
    {
        public byte* Inputs;
        public nint InputStride, SliverStride, ProductStride;
        public int* Weights, Products;
        public int Groups, Latents, RowTiles, TilesPerPart;
        public bool Add;

        public readonly void Execute(int part)
        {
            int rowTile = TKernel.RowTile, latentTile = TKernel.LatentTile;
            int endTile = Math.Min(RowTiles, (part + 1) * TilesPerPart);
            for (int rowTileIndex = part * TilesPerPart; rowTileIndex < endTile; rowTileIndex++)
            {
                nint row = (nint)rowTileIndex * rowTile;
                byte* inputs = Inputs + row * InputStride;
                int* products = Products + row * ProductStride;
                for (int latent = 0; latent < Latents; latent += latentTile)
                {
                    TKernel.Multiply(inputs, InputStride, Weights + (nint)(latent / Int8Quantization.SliverLatents) * SliverStride, SliverStride, Groups, products + latent, ProductStride, Add);
                }
            }
        }
    }
}
