using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

/// <summary>The portable TopK's k-th-key search on its own: the row-level tests reach its narrowing rounds only for some bracket sizes.</summary>
public sealed unsafe class TopKKthKeyTests
{
    [Fact]
    public void KthLargest_ReturnsTheKthLargestKey_ForAnyPivotsAmongTheKeys()
    {
        var rng = new Rng(77);
        for (int trial = 0; trial < 3000; trial++)
        {
            // Given: keys with few or many distinct values, and 8 pivots drawn from them (some
            // trials give the maximum among them, as the sample rounds do).
            int count = 1 + rng.NextInt(trial % 3 == 0 ? 12 : 120);
            int distinct = 1 + rng.NextInt(trial % 2 == 0 ? 4 : 1000);
            var keys = new int[count + 8];
            for (int i = 0; i < count; i++) keys[i] = rng.NextInt(distinct) - distinct / 2;
            int k = 1 + rng.NextInt(count);
            var pivotKeys = Enumerable.Range(0, 8).Select(_ => keys[rng.NextInt(count)]).ToArray();
            int maximum = TopKKthKey.UnknownMaximum;
            if (trial % 4 == 0)
            {
                maximum = keys.Take(count).Max();
                pivotKeys[7] = maximum;
            }
            var pivots = System.Runtime.Intrinsics.Vector256.Create(pivotKeys);
            int expected = keys.Take(count).OrderDescending().ElementAt(k - 1);
            var narrowed = new int[count + 8];

            // When
            int actual;
            fixed (int* keysPointer = keys, narrowedPointer = narrowed)
            {
                actual = TopKKthKey.KthLargest(keysPointer, count, k, pivots, maximum, narrowedPointer);
            }

            // Then
            Assert.True(expected == actual, $"trial {trial}: count={count} k={k} distinct={distinct}: got {actual}, expected {expected}.");
        }
    }

    [Fact]
    public void LowestBits_MatchesParallelBitDeposit()
    {
        // The no-BMI2 fallback of the tie choice against the instruction it replaces.
        if (!System.Runtime.Intrinsics.X86.Bmi2.IsSupported) return;
        var rng = new Rng(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            uint bits = (uint)rng.NextUInt64() & 0xFFu;
            int count = rng.NextInt(System.Numerics.BitOperations.PopCount(bits) + 1);
            Assert.Equal(System.Runtime.Intrinsics.X86.Bmi2.ParallelBitDeposit((1u << count) - 1, bits), TopKPortable.LowestBits(bits, count));
        }
    }
}
