using Mfr.IO;

namespace Mfr.Gpt2;

/// <summary>Tensors given in memory (tests, conversions), under their Hugging Face names.</summary>
internal sealed class InMemoryTensorSource : IGpt2TensorSource
{
    private readonly Dictionary<string, NamedTensor> tensors = new(StringComparer.Ordinal);

    public InMemoryTensorSource(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var tensor in tensors)
        {
            long elements = tensor.Shape.Aggregate(1L, (product, dimension) => product * dimension);
            if (elements != tensor.Data.Length)
                throw new ArgumentException($"Tensor '{tensor.Name}' has shape {Gpt2TensorSpec.Format(tensor.Shape)} but {tensor.Data.Length} values.", nameof(tensors));
            if (!this.tensors.TryAdd(tensor.Name, tensor))
                throw new ArgumentException($"Tensor '{tensor.Name}' is given twice.", nameof(tensors));
        }
        TensorNames = this.tensors.Keys.ToArray();
    }

    public string Description => "in-memory tensors";

    public IReadOnlyList<string> TensorNames { get; }

    public bool Contains(string name) => tensors.ContainsKey(name);

    public IReadOnlyList<long> GetShape(string name) => tensors[name].Shape;

    public void Read(string name, Span<float> destination) => tensors[name].Data.Span.CopyTo(destination);
}
