using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// Vector256 quantisation of rows for the int8-select encoder: the same codes, scales and residuals as
/// <see cref="Int8SelectReference.QuantizeRow"/> (the norms' sums of squares run in 8 lanes, so they differ from
/// the reference's by rounding, which the bound's rho covers). Inputs become unsigned bytes <c>code + offset</c>
/// (vpdpbusd and vpmaddubsw take one unsigned operand; the offset is taken back out with the weights' column
/// sums); weights stay signed and are packed for the micro-kernels (<see cref="IInt8MicroKernel"/>).
/// </summary>
internal static unsafe class Int8Quantization
{
    private const int Lanes = 8;

    /// <summary>Latents per packed sliver: one Vector512 of int32 lanes, each holding 4 consecutive depth bytes.</summary>
    public const int SliverLatents = 16;

    /// <summary>
    /// Quantises one row (see <see cref="Int8SelectReference.QuantizeRow"/>) and writes <c>code + offset</c> as bytes;
    /// bytes from d to <paramref name="paddedLength"/> get the code 0 (<c>offset</c>).
    /// </summary>
    /// <param name="row">v, <c>[d]</c>.</param>
    /// <param name="d">Length of the row.</param>
    /// <param name="levels">127 or 63.</param>
    /// <param name="offset">Added to every code (128 or 64 for inputs, 0 for weights).</param>
    /// <param name="rho">See <see cref="Int8SelectBound.Rho"/>.</param>
    /// <param name="codes">Output bytes, <c>[paddedLength]</c>.</param>
    /// <param name="paddedLength">Bytes written, at least d.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Scale, float Norm, float ErrorNorm) QuantizeRow(float* row, int d, int levels, int offset, float rho, byte* codes, int paddedLength)
    {
        var maximum = Vector256<float>.Zero;
        Vector256<float> squares0 = default, squares1 = default;
        int i = 0;
        for (; i <= d - 2 * Lanes; i += 2 * Lanes)
        {
            var v0 = Vector256.Load(row + i);
            var v1 = Vector256.Load(row + i + Lanes);
            maximum = Vector256.Max(maximum, Vector256.Max(Vector256.Abs(v0), Vector256.Abs(v1)));
            squares0 = Vector256.FusedMultiplyAdd(v0, v0, squares0);
            squares1 = Vector256.FusedMultiplyAdd(v1, v1, squares1);
        }
        float max = HorizontalMax(maximum), sum = Vector256.Sum(squares0 + squares1);
        for (; i < d; i++)
        {
            max = MathF.Max(max, MathF.Abs(row[i]));
            sum = MathF.FusedMultiplyAdd(row[i], row[i], sum);
        }
        var (scale, reciprocal) = Int8SelectBound.Scale(max, levels);
        var scaleVector = Vector256.Create(-scale);
        var reciprocalVector = Vector256.Create(reciprocal);
        var high = Vector256.Create((float)levels);
        var low = Vector256.Create((float)-levels);
        var offsetVector = Vector256.Create(offset);
        Vector256<float> errors0 = default, errors1 = default;
        i = 0;
        for (; i <= d - 4 * Lanes; i += 4 * Lanes)
        {
            var c0 = Code(row + i, reciprocalVector, low, high, scaleVector, ref errors0);
            var c1 = Code(row + i + Lanes, reciprocalVector, low, high, scaleVector, ref errors1);
            var c2 = Code(row + i + 2 * Lanes, reciprocalVector, low, high, scaleVector, ref errors0);
            var c3 = Code(row + i + 3 * Lanes, reciprocalVector, low, high, scaleVector, ref errors1);
            var shorts0 = Vector256.Narrow(Vector256.ConvertToInt32(c0) + offsetVector, Vector256.ConvertToInt32(c1) + offsetVector);
            var shorts1 = Vector256.Narrow(Vector256.ConvertToInt32(c2) + offsetVector, Vector256.ConvertToInt32(c3) + offsetVector);
            Vector256.Narrow(shorts0, shorts1).AsByte().Store(codes + i);
        }
        float errorSum = Vector256.Sum(errors0 + errors1);
        for (; i < d; i++)
        {
            float code = Math.Clamp(MathF.Round(row[i] * reciprocal), -levels, levels);
            codes[i] = (byte)((int)code + offset);
            float error = MathF.FusedMultiplyAdd(-scale, code, row[i]);
            errorSum = MathF.FusedMultiplyAdd(error, error, errorSum);
        }
        for (; i < paddedLength; i++) codes[i] = (byte)offset;
        return (scale, Int8SelectBound.Norm(sum, rho), Int8SelectBound.Norm(errorSum, rho));
    }

    /// <summary>
    /// Quantises W rows <paramref name="firstLatent"/> to <paramref name="endLatent"/> (whole slivers) into the
    /// packed layout <c>[latent / 16][group][latent % 16]</c> of int32 holding 4 signed depth bytes each, with
    /// each latent's scale, inflated norms, rho |b_j| and the sum of its codes.
    /// </summary>
    /// <param name="weights">W, <c>[h, d]</c>.</param>
    /// <param name="bias">b, <c>[h]</c>.</param>
    /// <param name="h">Latents.</param>
    /// <param name="d">Input width.</param>
    /// <param name="rho">See <see cref="Int8SelectBound.Rho"/>.</param>
    /// <param name="firstLatent">First latent, a multiple of 16.</param>
    /// <param name="endLatent">End of the range, a multiple of 16 (latents from h on stay zero).</param>
    /// <param name="rowCodes">Scratch, <c>[4 groups]</c> bytes.</param>
    /// <param name="buffers">Packed weights and per-latent factors.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeWeights(float* weights, float* bias, int h, int d, float rho, int firstLatent, int endLatent, byte* rowCodes, in Int8SelectBuffers.View buffers)
    {
        int groups = buffers.GroupCount;
        int* packed = buffers.PackedWeights;
        for (int j = firstLatent; j < Math.Min(endLatent, h); j++)
        {
            var (scale, norm, errorNorm) = QuantizeRow(weights + (nint)j * d, d, Int8SelectBound.WeightLevels, 0, rho, rowCodes, 4 * groups);
            buffers.WeightScale[j] = scale;
            buffers.WeightNorm[j] = norm;
            buffers.WeightError[j] = errorNorm;
            buffers.BiasTerm[j] = Int8SelectBound.BiasTerm(bias[j], rho);
            int sum = 0;
            for (int p = 0; p < d; p++) sum += (sbyte)rowCodes[p];
            buffers.ColumnSum[j] = sum;
            int* target = packed + (nint)(j / SliverLatents) * groups * SliverLatents + j % SliverLatents;
            int* source = (int*)rowCodes;
            for (int g = 0; g < groups; g++) target[g * SliverLatents] = source[g];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Code(float* row, Vector256<float> reciprocal, Vector256<float> low, Vector256<float> high, Vector256<float> minusScale, ref Vector256<float> errors)
    {
        var v = Vector256.Load(row);
        var code = Vector256.Min(Vector256.Max(Vector256.Round(v * reciprocal), low), high);
        var error = Vector256.FusedMultiplyAdd(minusScale, code, v);
        errors = Vector256.FusedMultiplyAdd(error, error, errors);
        return code;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector256<float> vector)
    {
        var half = Vector128.Max(vector.GetLower(), vector.GetUpper());
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        return half.ToScalar();
    }
}
