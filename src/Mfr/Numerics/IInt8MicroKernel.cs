namespace Mfr.Numerics;

/// <summary>
/// A register-blocked micro-kernel of the int8-select encoder's integer product (<see cref="Int8Product{TKernel}"/>):
/// <c>products[r, j] (+)= sum_p inputs[r, p] * weights[j, p]</c> over a RowTile x LatentTile tile, unsigned input bytes
/// times signed weight bytes summed exactly in int32. Weights come packed by <see cref="Int8Quantization.QuantizeWeights"/>:
/// slivers of 16 latents, each <c>[G, 16]</c> int32 lanes holding 4 consecutive depth bytes, the layout vpdpbusd and
/// vpmaddubsw + vpmaddwd consume (one lane = one latent's 4-byte dot product per instruction).
/// </summary>
internal unsafe interface IInt8MicroKernel
{
    /// <summary>Rows per tile: 4-byte broadcasts from the input rows.</summary>
    static abstract int RowTile { get; }

    /// <summary>Latents per tile (16 or 32): vector loads from the packed weights.</summary>
    static abstract int LatentTile { get; }

    /// <summary>Quantisation levels of the inputs: 127 (vpdpbusd sums in 32 bits) or 63 (vpmaddubsw's 16-bit pair sums, 2 x 127 x 127 &lt; 32768, must not saturate).</summary>
    static abstract int InputLevels { get; }

    /// <summary>Null when this machine has the instructions, else why not.</summary>
    static abstract string? UnsupportedReason { get; }

    /// <summary>One tile over <paramref name="groups"/> groups of 4 depth bytes.</summary>
    /// <param name="inputs">First input row's bytes at the block's depth; rows <paramref name="inputStride"/> bytes apart.</param>
    /// <param name="inputStride">Bytes between input rows.</param>
    /// <param name="weights">The tile's first sliver at the block's first group.</param>
    /// <param name="sliverStride">Ints between consecutive slivers (16 G).</param>
    /// <param name="groups">Groups of 4 depth bytes in the block.</param>
    /// <param name="products">First product of the tile; rows <paramref name="productStride"/> ints apart.</param>
    /// <param name="productStride">Ints between product rows.</param>
    /// <param name="add">Add to the products instead of overwriting them (depth blocks after the first).</param>
    static abstract void Multiply(byte* inputs, nint inputStride, int* weights, nint sliverStride, int groups, int* products, nint productStride, bool add);
}
