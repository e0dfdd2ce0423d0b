using BenchmarkDotNet.Attributes;
using Mfr.Data;
using Mfr.IO;
using Mfr.Numerics;

namespace Mfr.Bench.IO;

/// <summary>
/// Batches per second from an <see cref="ArrayFileSource"/> over a [200000, 768] file (GPT-2-small
/// residual width), batch 500: shuffled with the default chunked shuffle, and sequential for
/// comparison, for float32 and float16 files. The files are written once to the temp folder and are
/// in the page cache during the run (the steady state after the first epoch). One operation = one
/// batch; batches/s = 1e9 / Mean[ns].
/// Run: dotnet run -c Release --project bench/Mfr.Bench -- --filter "*ArrayFileSource*"
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ArrayFileSourceBenchmarks
{
    private const int RowCount = 200_000;
    private const int Width = 768;
    private const int BatchSize = 500;
    private const int BatchesPerInvoke = 50;

    private string folder = "";
    private ArrayFileSource shuffledSingle = null!, sequentialSingle = null!, shuffledHalf = null!;
    private float[] batch = null!;
    private long nextBatch;

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "mfr-bench-io-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string singlePath = Path.Combine(folder, "acts_f32.npy");
        string halfPath = Path.Combine(folder, "acts_f16.safetensors");
        var rng = new Rng(1);
        var block = new float[1000 * Width];
        using (var writer = new NpyStreamWriter(singlePath, Width))
        {
            for (int done = 0; done < RowCount; done += 1000)
            {
                rng.FillGaussian(block);
                writer.Append(block);
            }
            writer.Complete();
        }
        WriteHalfSafetensors(halfPath, singlePath);
        shuffledSingle = new ArrayFileSource(new ArrayFileSourceOptions { Path = singlePath, Seed = 1 });
        sequentialSingle = new ArrayFileSource(new ArrayFileSourceOptions { Path = singlePath, Order = ArrayFileOrder.Sequential });
        shuffledHalf = new ArrayFileSource(new ArrayFileSourceOptions { Path = halfPath, Seed = 1 });
        batch = new float[BatchSize * Width];
    }

    /// <summary>An F16 safetensors copy of the npy file, written by hand since SafetensorsWriter writes F32 only.</summary>
    private static void WriteHalfSafetensors(string path, string source)
    {
        using var npy = NpyFile.Open(source);
        string header = $"{{\"acts\":{{\"dtype\":\"F16\",\"shape\":[{RowCount},{Width}],\"data_offsets\":[0,{2L * RowCount * Width}]}}}}";
        header += new string(' ', (8 - header.Length % 8) % 8);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
            var rows = new float[1000 * Width];
            var halves = new byte[rows.Length * 2];
            for (int first = 0; first < RowCount; first += 1000)
            {
                npy.ReadRows(first, 1000, rows);
                for (int i = 0; i < rows.Length; i++) BitConverter.TryWriteBytes(halves.AsSpan(2 * i), (Half)rows[i]);
                stream.Write(halves);
            }
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        shuffledSingle.Dispose();
        sequentialSingle.Dispose();
        shuffledHalf.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private void Read(ArrayFileSource source)
    {
        for (int i = 0; i < BatchesPerInvoke; i++) source.ReadBatch(nextBatch++, BatchSize, batch);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchesPerInvoke)]
    public void ShuffledFloat32() => Read(shuffledSingle);

    [Benchmark(OperationsPerInvoke = BatchesPerInvoke)]
    public void SequentialFloat32() => Read(sequentialSingle);

    [Benchmark(OperationsPerInvoke = BatchesPerInvoke)]
    public void ShuffledFloat16() => Read(shuffledHalf);
}
