namespace Mfr.IO;

/// <summary>
/// A float32 tensor to write to a safetensors file (see <see cref="SafetensorsWriter"/>).
/// </summary>
/// <param name="Name">Tensor name; unique within a file, not <c>"__metadata__"</c>.</param>
/// <param name="Shape">Dimensions, outermost first (C order); their product must equal <c>Data.Length</c>.</param>
/// <param name="Data">Elements in C (row-major) order.</param>
public sealed record NamedTensor(string Name, IReadOnlyList<long> Shape, ReadOnlyMemory<float> Data);
