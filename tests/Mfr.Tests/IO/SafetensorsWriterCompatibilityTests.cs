using System.Runtime.InteropServices;
using System.Text;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.IO;

/// <summary>
/// Byte-for-byte agreement with the official Rust crate's serializer, using the expected buffers of
/// its own unit tests (huggingface/safetensors, safetensors/src/tensor.rs: test_serialization,
/// test_serialization_forced_alignement, test_empty), decoded here to text for readability.
/// </summary>
public sealed class SafetensorsWriterCompatibilityTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static byte[] Expected(string header, float[] data)
    {
        byte[] json = Encoding.ASCII.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. MemoryMarshal.AsBytes(data.AsSpan()).ToArray()];
    }

    private byte[] Written(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        string path = folder.File(Guid.NewGuid().ToString("N") + ".safetensors");
        SafetensorsWriter.Write(path, tensors, metadata);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void SingleTensor_NoPaddingNeeded()
    {
        float[] data = [0, 1, 2, 3, 4, 5];

        byte[] bytes = Written([new NamedTensor("attn.0", [1, 2, 3], data)]);

        Assert.Equal(Expected("""{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""", data), bytes);
    }

    [Fact]
    public void SingleTensor_PaddedWithSpacesForAlignment()
    {
        float[] data = [0, 1, 2, 3, 4, 5];

        byte[] bytes = Written([new NamedTensor("attn0", [1, 1, 2, 3], data)]);

        Assert.Equal(Expected("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       """, data), bytes);
    }

    [Fact]
    public void NoTensors_WithAndWithoutMetadata()
    {
        Assert.Equal(Expected("{}      ", []), Written([]));
        Assert.Equal(Expected("""{"__metadata__":{"framework":"pt"}}     """, []), Written([], new Dictionary<string, string> { ["framework"] = "pt" }));
    }
}
