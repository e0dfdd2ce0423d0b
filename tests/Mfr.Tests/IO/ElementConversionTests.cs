using System.Numerics;
using System.Runtime.InteropServices;
using Mfr.IO;
using Mfr.Numerics;

namespace Mfr.Tests.IO;

/// <summary>The vectorised conversions and the finiteness check against their scalar references.</summary>
public sealed class ElementConversionTests
{
    /// <summary>0..3*width+1 and a few larger, odd sizes (STYLE.md 4).</summary>
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        int width = Vector<ushort>.Count;
        for (int n = 0; n <= 3 * width + 1; n++) data.Add(n);
        data.Add(1000);
        data.Add(4097);
        return data;
    }

    [Fact]
    public void HalfToSingle_MatchesReferenceOnEveryBitPattern()
    {
        // Given all 65536 binary16 patterns (NaNs, infinities, subnormals, both zeros)
        ushort[] all = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        var expected = new float[all.Length];
        var actual = new float[all.Length];

        // When
        ElementConversionReference.HalfToSingle(all, expected);
        ElementConversion.HalfToSingle(all, actual);

        // Then bit for bit, except that any NaN payload may differ
        for (int i = 0; i < all.Length; i++)
        {
            if (float.IsNaN(expected[i])) Assert.True(float.IsNaN(actual[i]), $"pattern 0x{i:X4}");
            else Assert.True(BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(actual[i]), $"pattern 0x{i:X4}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void HalfToSingle_AwkwardLengths_MatchReferenceAndLeaveCanaries(int length)
    {
        var rng = new Rng((ulong)length + 1);
        ushort[] source = Enumerable.Range(0, length).Select(_ => (ushort)rng.NextInt(65536)).ToArray();
        var expected = new float[length];
        var actual = new float[length + 2];
        actual[^1] = actual[^2] = 12345f;

        ElementConversionReference.HalfToSingle(source, expected);
        ElementConversion.HalfToSingle(source, actual.AsSpan(0, length));

        Assert.Equal(expected.Select(BitsOrNaN), actual.Take(length).Select(BitsOrNaN));
        Assert.Equal(12345f, actual[^1]);
        Assert.Equal(12345f, actual[^2]);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void BFloat16ToSingle_AwkwardLengths_MatchReference(int length)
    {
        var rng = new Rng((ulong)length + 7);
        ushort[] source = Enumerable.Range(0, length).Select(_ => (ushort)rng.NextInt(65536)).ToArray();
        var expected = new float[length];
        var actual = new float[length];

        ElementConversionReference.BFloat16ToSingle(source, expected);
        ElementConversion.BFloat16ToSingle(source, actual);

        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), actual.Select(BitConverter.SingleToUInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void IndexOfNonFinite_FindsFirstBadValueAtEveryPosition(int length)
    {
        var values = new float[length];
        new Rng(3).FillGaussian(values);
        Assert.Equal(-1, ElementConversion.IndexOfNonFinite(values));
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        for (int position = 0; position < length; position++)
        {
            float[] copy = (float[])values.Clone();
            copy[position] = specials[position % 3];
            if (position + 1 < length) copy[^1] = float.NaN;

            Assert.Equal(position, ElementConversion.IndexOfNonFinite(copy));
            Assert.Equal(position, ElementConversionReference.IndexOfNonFinite(copy));
        }
    }

    [Fact]
    public void IndexOfNonFinite_AcceptsExtremeFiniteValues()
    {
        float[] values = [float.MaxValue, float.MinValue, float.Epsilon, -0f, 0f, 1e-40f, -float.Epsilon, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f];

        Assert.Equal(-1, ElementConversion.IndexOfNonFinite(values));
    }

    [Theory]
    [InlineData(TensorDType.F64)]
    [InlineData(TensorDType.I32)]
    [InlineData(TensorDType.I64)]
    public void ToSingle_WideTypes_RoundToNearest(TensorDType type)
    {
        byte[] bytes = type switch
        {
            TensorDType.F64 => MemoryMarshal.AsBytes<double>([1.5, -2.25, 1e300, 16777217]).ToArray(),
            TensorDType.I32 => MemoryMarshal.AsBytes<int>([1, -2, int.MaxValue, 16777217]).ToArray(),
            _ => MemoryMarshal.AsBytes<long>([1, -2, long.MaxValue, 16777217]).ToArray(),
        };
        var destination = new float[4];

        ElementConversion.ToSingle(bytes, type, destination);

        float third = type switch { TensorDType.F64 => float.PositiveInfinity, TensorDType.I32 => 2147483648f, _ => 9.223372e18f };
        float[] expected = type == TensorDType.F64 ? [1.5f, -2.25f, third, 16777216f] : [1f, -2f, third, 16777216f];
        Assert.Equal(expected, destination);
    }

    private static uint BitsOrNaN(float value) => float.IsNaN(value) ? 0x7FC00000u : BitConverter.SingleToUInt32Bits(value);
}
