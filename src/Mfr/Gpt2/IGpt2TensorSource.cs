namespace Mfr.Gpt2;

/// <summary>Named float tensors a GPT-2 model is loaded from: a safetensors file or tensors in memory.</summary>
internal interface IGpt2TensorSource
{
    /// <summary>Where the tensors come from, for error messages (a file path).</summary>
    string Description { get; }

    IReadOnlyList<string> TensorNames { get; }

    bool Contains(string name);

    IReadOnlyList<long> GetShape(string name);

    /// <summary>Reads tensor <paramref name="name"/> as float32 into <paramref name="destination"/> (its exact length).</summary>
    void Read(string name, Span<float> destination);
}
