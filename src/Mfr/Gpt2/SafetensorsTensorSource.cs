using Mfr.IO;

namespace Mfr.Gpt2;

/// <summary>Tensors of a <see cref="SafetensorsFile"/> (F16/BF16 converted to float32 by the reader).</summary>
internal sealed class SafetensorsTensorSource(SafetensorsFile file) : IGpt2TensorSource
{
    public string Description => file.Path;

    public IReadOnlyList<string> TensorNames => file.TensorNames;

    public bool Contains(string name) => file.Contains(name);

    public IReadOnlyList<long> GetShape(string name) => file.GetInfo(name).Shape;

    public void Read(string name, Span<float> destination) => file.ReadFloat32(name, destination);
}
