using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

/// <summary>
/// Inputs for the kernel tests: seeded Gaussian data placed at an odd offset inside a larger array
/// (so spans are not 64-byte aligned), with canary values before and after (TensorPrimitives'
/// BoundedMemory idea: a kernel writing outside its output span changes a canary).
/// </summary>
internal sealed class KernelTestData
{
    public const int Offset = 3;
    public const int CanaryCount = 37;
    public const float Canary = -12345.5f;

    private KernelTestData(float[] storage, int length)
    {
        Storage = storage;
        Length = length;
    }

    /// <summary>Backing array: <see cref="Offset"/> canaries, the data, then <see cref="CanaryCount"/> canaries.</summary>
    public float[] Storage { get; }

    public int Length { get; }

    public Span<float> Span => Storage.AsSpan(Offset, Length);

    public static KernelTestData Gaussian(int length, ulong seed)
    {
        var data = Empty(length);
        var rng = new Rng(seed);
        rng.FillGaussian(data.Span);
        return data;
    }

    public static KernelTestData Empty(int length)
    {
        var storage = new float[Offset + length + CanaryCount];
        storage.AsSpan().Fill(Canary);
        storage.AsSpan(Offset, length).Clear();
        return new KernelTestData(storage, length);
    }

    public KernelTestData Clone() => new((float[])Storage.Clone(), Length);

    /// <summary>Fails if a canary before or after the data changed.</summary>
    public void AssertCanariesIntact(string what)
    {
        for (int i = 0; i < Offset; i++) Assert.True(Storage[i] == Canary, $"{what}: canary {i} before the output was overwritten.");
        for (int i = Offset + Length; i < Storage.Length; i++) Assert.True(Storage[i] == Canary, $"{what}: canary {i - Offset - Length} after the output was overwritten.");
    }
}
