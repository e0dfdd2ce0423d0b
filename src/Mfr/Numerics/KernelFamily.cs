namespace Mfr.Numerics;

/// <summary>
/// A kernel family as the registry lists it: a name (as in <c>MFR_KERNELS</c>), what it computes, its
/// variants (the reference first) and the one that runs. <see cref="KernelFamily{TKernel}"/> adds the
/// typed variants the family's entry points call.
/// </summary>
internal abstract class KernelFamily
{
    protected KernelFamily(string name, string summary)
    {
        Name = name;
        Summary = summary;
    }

    /// <summary>The family's name in <c>MFR_KERNELS</c> overrides and listings (lower case, e.g. "gemm").</summary>
    public string Name { get; }

    /// <summary>What the family computes, and which variants it has and why (e.g. "only one fast path").</summary>
    public string Summary { get; }

    /// <summary>The registered variants, the reference first, then by increasing level.</summary>
    public abstract IReadOnlyList<IKernelVariant> AllVariants { get; }

    /// <summary>The variant the family's entry points run.</summary>
    public abstract IKernelVariant SelectedVariant { get; }

    /// <summary>The highest level the current request lets this family use.</summary>
    public KernelLevel Cap { get; private set; } = KernelLevel.Avx512;

    /// <summary>The variant registered under <paramref name="name"/> (reference, portable, avx2, avx512).</summary>
    /// <exception cref="ArgumentException">The family has no such variant.</exception>
    public IKernelVariant Variant(string name)
        => AllVariants.FirstOrDefault(variant => KernelVariant.NameOf(variant.Level) == name)
            ?? throw new ArgumentException($"Kernel family {Name} has no variant '{name}' (it has {string.Join(", ", AllVariants.Select(v => KernelVariant.NameOf(v.Level)))}).");

    /// <summary>Selects the highest supported variant at or below <paramref name="cap"/> (the reference always qualifies).</summary>
    public void Apply(KernelLevel cap)
    {
        Cap = cap;
        SelectBest(cap);
    }

    protected abstract void SelectBest(KernelLevel cap);
}

/// <summary>A kernel family whose variants implement <typeparamref name="TKernel"/>.</summary>
/// <typeparam name="TKernel">The family's interface.</typeparam>
internal sealed class KernelFamily<TKernel> : KernelFamily
    where TKernel : class, IKernelVariant
{
    private readonly TKernel[] variants;

    /// <summary>Registers a family.</summary>
    /// <param name="name">Name in <c>MFR_KERNELS</c> and listings.</param>
    /// <param name="summary">What it computes and which variants it has.</param>
    /// <param name="variants">The variants: the reference first, then by strictly increasing level.</param>
    public KernelFamily(string name, string summary, params TKernel[] variants)
        : base(name, summary)
    {
        if (variants.Length == 0 || variants[0].Level != KernelLevel.Reference)
            throw new ArgumentException($"Kernel family {name} must register its reference first.", nameof(variants));
        for (int i = 1; i < variants.Length; i++)
        {
            if (variants[i].Level <= variants[i - 1].Level)
                throw new ArgumentException($"Kernel family {name} registers its variants out of order or twice ({KernelVariant.NameOf(variants[i].Level)}).", nameof(variants));
        }
        this.variants = variants;
        Selected = variants[0];
        SelectBest(KernelLevel.Avx512);
    }

    /// <summary>The variants, the reference first.</summary>
    public IReadOnlyList<TKernel> Variants => variants;

    /// <summary>The scalar specification.</summary>
    public TKernel Reference => variants[0];

    /// <summary>The variant the entry points run (one interface call per kernel call).</summary>
    public TKernel Selected { get; private set; }

    /// <inheritdoc/>
    public override IReadOnlyList<IKernelVariant> AllVariants => variants;

    /// <inheritdoc/>
    public override IKernelVariant SelectedVariant => Selected;

    /// <summary>The variant registered under <paramref name="name"/> (reference, portable, avx2, avx512).</summary>
    /// <exception cref="ArgumentException">The family has no such variant.</exception>
    public TKernel Get(string name) => (TKernel)Variant(name);

    /// <summary>The highest supported variant at or below <paramref name="cap"/>.</summary>
    public TKernel Best(KernelLevel cap)
    {
        var best = variants[0];
        foreach (var variant in variants)
        {
            if (variant.Level <= cap && variant.UnsupportedReason is null) best = variant;
        }
        return best;
    }

    protected override void SelectBest(KernelLevel cap) => Selected = Best(cap);
}
