using System.Globalization;
using Mfr.Gpt2;
using Mfr.Matching;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Numerics;

/// <summary>
/// Every kernel family and its variants, in one place (Sep's parser registry, Llm.cs' factory; STYLE.md 2
/// and 3). Each family lists its scalar reference first, then its fast variants by level; the family's
/// entry points (<see cref="Gemm"/>, <see cref="TopK"/>, ...) run <see cref="KernelFamily{TKernel}.Selected"/>
/// through one interface call per kernel call, so the choice costs nothing per element. The selection
/// comes from <c>MFR_KERNELS</c> (<see cref="KernelSelection"/>) at start-up; tests and bench/ iterate
/// <see cref="Families"/> and each family's variants, and skip the ones this machine cannot run.
/// </summary>
internal static class KernelRegistry
{
    /// <summary>Dense fp32 products (the SAE encoder, cosine matrices, GPT-2's linear layers).</summary>
    public static readonly KernelFamily<IGemmKernel> Gemm = new(
        "gemm", "dense fp32 products: encoder, cosine matrices, GPT-2 layers",
        new GemmReferenceKernel(),
        new GemmPackedKernel<GemmMicroKernelPortable>(KernelLevel.Portable, "packed 6 x 16 Vector256 micro-kernel"),
        new GemmPackedKernel<GemmMicroKernelAvx512>(KernelLevel.Avx512, "packed 14 x 32 Vector512 micro-kernel"));

    /// <summary>Per-row TopK selection of the pre-activations.</summary>
    public static readonly KernelFamily<ITopKKernel> TopK = new(
        "topk", "per-row TopK of the pre-activations",
        new TopKReferenceKernel(),
        new TopKThresholdKernel(KernelLevel.Portable, "exact threshold, Vector256 mask permutations"),
        new TopKThresholdKernel(KernelLevel.Avx512, "exact threshold, Vector512 compress"));

    /// <summary>Sparse decode, gather-dots and the paired weight-gradient scatter of the SAE step.</summary>
    public static readonly KernelFamily<ISparseKernel> Sparse = new(
        "sparse", "sparse decode, gather-dots, paired weight-gradient scatter",
        new SparseReferenceKernel(),
        new SparseVectorKernel(KernelLevel.Portable, "Vector256 rows, inverted-index scatter"),
        new SparseVectorKernel(KernelLevel.Avx512, "Vector512 rows, inverted-index scatter"));

    /// <summary>The AdamW update.</summary>
    public static readonly KernelFamily<IAdamKernel> Adam = new(
        "adam", "AdamW update",
        new AdamReferenceKernel(),
        new AdamVectorKernel(KernelLevel.Portable, "Vector256, folded bias corrections"),
        new AdamVectorKernel(KernelLevel.Avx512, "Vector512, folded bias corrections"));

    /// <summary>The synthetic data's weighted sampling of features without replacement.</summary>
    public static readonly KernelFamily<ISamplerKernel> Sampler = new(
        "sampler", "synthetic samples' features (weighted, without replacement); the fast variants draw bitwise the same samples",
        new SamplerReferenceKernel(),
        new SamplerPortableKernel(),
        new SamplerAvx512Kernel());

    /// <summary>The SynthSAEBench copula's firing test (the generator's per-feature pass).</summary>
    public static readonly KernelFamily<ICopulaFiringKernel> CopulaFiring = new(
        "copula", "SynthSAEBench firing test; every variant makes the same decisions bit for bit",
        new CopulaFiringReferenceKernel(),
        new CopulaFiringPortableKernel(),
        new CopulaFiringScreenedKernel());

    /// <summary>The exact linear assignment solver's inner loops.</summary>
    public static readonly KernelFamily<IAssignmentKernel> Assignment = new(
        "assignment", "exact linear assignment's row loops; every variant bit-identical",
        new AssignmentReferenceKernel(),
        new AssignmentPortableKernel(),
        new AssignmentAvx512Kernel());

    /// <summary>The MFR penalty's matched cosines and dense gradient update.</summary>
    public static readonly KernelFamily<IMatchedRowsKernel> MatchedRows = new(
        "matchedrows", "MFR matched cosines and dense partner update; one fast path (memory-bound)",
        new MatchedRowsReferenceKernel(),
        new MatchedRowsPortableKernel());

    /// <summary>The MFR penalty's fused per-SAE gradient.</summary>
    public static readonly KernelFamily<IPartnerGradientKernel> PartnerGradient = new(
        "partnergradient", "MFR penalty gradient of one SAE in one pass; one fast path (memory-bound)",
        new PartnerGradientReferenceKernel(),
        new PartnerGradientPortableKernel());

    /// <summary>GPT-2's element-wise and row-wise operations.</summary>
    public static readonly KernelFamily<IGpt2Kernels> Gpt2 = new(
        "gpt2", "GPT-2 LayerNorm, GELU, softmax, log-sum-exp, adds; one fast path (GEMMs dominate)",
        new Gpt2ReferenceKernels(),
        new Gpt2PortableKernels());

    /// <summary>The dense passes of an SAE step around the big kernels.</summary>
    public static readonly KernelFamily<ISaeStepKernels> SaeStep = new(
        "saestep", "SAE step's bias adds, ReLU and counts, squared error, decoder projection, row norms; one fast path (memory-bound)",
        new SaeStepReferenceKernels(),
        new SaeStepPortableKernels());

    /// <summary>The random orthogonal initialisation of the SAE weights (and of re-drawn latents).</summary>
    public static readonly KernelFamily<IOrthogonalKernel> Orthogonal = new(
        "orthogonal", "random orthogonal initialisation (QR of a Gaussian matrix); one fast path (blocked Gram-Schmidt through the GEMM)",
        new OrthogonalReferenceKernel(),
        new OrthogonalPortableKernel());

    /// <summary>The opt-in int8-select encoder (quantised candidates, exact fp32 recompute; <see cref="Int8SelectEncoder"/>).</summary>
    public static readonly KernelFamily<IInt8SelectKernel> Int8Select = new(
        "int8select", "opt-in encoder: int8 products select candidates, fp32 recomputes them",
        new Int8SelectReferenceKernel(),
        new Int8SelectVectorKernel<Int8MicroKernelPortable>(KernelLevel.Portable, "Vector256 widening 4 x 16 tile"),
        new Int8SelectVectorKernel<Int8MicroKernelAvx2>(KernelLevel.Avx2, "AVX2 vpmaddubsw 4 x 16 ymm tile"),
        new Int8SelectAvx512Kernel());

    /// <summary>Every family, in the order listings print them.</summary>
    public static readonly IReadOnlyList<KernelFamily> Families = [Gemm, TopK, Sparse, Adam, Sampler, CopulaFiring, Assignment, MatchedRows, PartnerGradient, Gpt2, SaeStep, Orthogonal, Int8Select];

    static KernelRegistry()
    {
        (Request, RequestProblem) = KernelSelection.FromEnvironment(FamilyNames);
        Apply(Request);
    }

    /// <summary>The family names, as <c>MFR_KERNELS</c> overrides name them.</summary>
    public static IReadOnlyList<string> FamilyNames => Families.Select(family => family.Name).ToArray();

    /// <summary>The family registered under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No family has that name.</exception>
    public static KernelFamily Family(string name)
        => Families.FirstOrDefault(family => family.Name == name)
            ?? throw new ArgumentException($"No kernel family '{name}'; families: {string.Join(", ", FamilyNames)}.");

    /// <summary>The request in force (from <c>MFR_KERNELS</c>, or set by <see cref="Apply"/>).</summary>
    public static KernelRequest Request { get; private set; }

    /// <summary>Null, or why the <c>MFR_KERNELS</c> value was ignored.</summary>
    public static string? RequestProblem { get; private set; }

    /// <summary>Selects every family's variant for <paramref name="request"/> (benchmarks; not thread-safe against running kernels).</summary>
    public static void Apply(KernelRequest request)
    {
        Request = request;
        foreach (var family in Families) family.Apply(request.For(family.Name));
    }

    /// <summary>One line per family: the variant that runs, the registered ones, and why a faster one does not run.</summary>
    public static IReadOnlyList<string> Describe()
    {
        var lines = new List<string> { $"kernels (MFR_KERNELS={Request}):" };
        if (RequestProblem is not null) lines.Add($"  {RequestProblem}");
        int width = Families.Max(family => family.Name.Length);
        foreach (var family in Families)
        {
            var selected = family.SelectedVariant;
            var notes = family.AllVariants
                .Where(variant => variant.Level > selected.Level)
                .Select(variant => variant.Level > family.Cap
                    ? $"{KernelVariant.NameOf(variant.Level)} not requested"
                    : $"{KernelVariant.NameOf(variant.Level)} unsupported: {variant.UnsupportedReason}");
            string registered = string.Join(" ", family.AllVariants.Select(variant => KernelVariant.NameOf(variant.Level)));
            string line = string.Create(CultureInfo.InvariantCulture, $"  {family.Name.PadRight(width)}  {KernelVariant.NameOf(selected.Level),-9} ({selected.Description}); registered: {registered}");
            string note = string.Join("; ", notes);
            lines.Add(note.Length == 0 ? line : $"{line}; {note}");
        }
        return lines;
    }
}
