namespace Mfr.Numerics;

/// <summary>
/// Seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). Every random source in
/// Mfr takes an explicit seed (STYLE.md 10); <see cref="ForStream"/> derives independent streams, so a
/// batch or an SAE can get its own generator as a pure function of (seed, stream id) and a resumed run
/// reproduces the same numbers without replaying earlier draws.
/// </summary>
public struct Rng
{
    private ulong s0, s1, s2, s3;
    private float spareGaussian;
    private bool hasSpareGaussian;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
        spareGaussian = 0;
        hasSpareGaussian = false;
    }

    /// <summary>An independent generator for sub-stream <paramref name="streamId"/> of <paramref name="seed"/>.</summary>
    public static Rng ForStream(ulong seed, ulong streamId)
    {
        ulong x = seed ^ 0x9E3779B97F4A7C15UL;
        ulong mixedSeed = SplitMix64(ref x);
        ulong y = streamId + 0xD1B54A32D192ED03UL;
        return new Rng(mixedSeed ^ SplitMix64(ref y));
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    // The shifted values fit a signed integer, whose conversion is one instruction (an unsigned 64-bit
    // one is a branchy sequence without AVX-512); the result is the same number.

    /// <summary>Uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (int)(NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (long)(NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Fills <paramref name="destination"/> with successive <see cref="NextDouble"/> values (the same
    /// numbers), with the state held in registers for the whole loop.
    /// </summary>
    public void FillDoubles(Span<double> destination)
    {
        ulong a = s0, b = s1, c = s2, d = s3;
        for (int i = 0; i < destination.Length; i++)
        {
            ulong result = ulong.RotateLeft(b * 5, 7) * 9;
            ulong t = b << 17;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= t;
            d = ulong.RotateLeft(d, 45);
            destination[i] = (long)(result >> 11) * (1.0 / (1UL << 53));
        }
        (s0, s1, s2, s3) = (a, b, c, d);
    }

    /// <summary>Fills <paramref name="destination"/> with successive <see cref="NextFloat"/> values (the same numbers), state in registers.</summary>
    public void FillFloats(Span<float> destination)
    {
        ulong a = s0, b = s1, c = s2, d = s3;
        for (int i = 0; i < destination.Length; i++)
        {
            ulong result = ulong.RotateLeft(b * 5, 7) * 9;
            ulong t = b << 17;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= t;
            d = ulong.RotateLeft(d, 45);
            destination[i] = (int)(result >> 40) * (1.0f / (1 << 24));
        }
        (s0, s1, s2, s3) = (a, b, c, d);
    }

    /// <summary>Uniform integer in [0, exclusiveMax) without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax));
        ulong range = (ulong)exclusiveMax;
        UInt128 product = (UInt128)NextUInt64() * range;
        ulong low = (ulong)product;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * range;
                low = (ulong)product;
            }
        }
        return (int)(product >> 64);
    }

    /// <summary>Standard normal sample (Marsaglia polar method; the spare value is kept).</summary>
    public float NextGaussian()
    {
        if (hasSpareGaussian)
        {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        spareGaussian = (float)(v * factor);
        hasSpareGaussian = true;
        return (float)(u * factor);
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal samples.</summary>
    public void FillGaussian(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = NextGaussian();
    }
}
