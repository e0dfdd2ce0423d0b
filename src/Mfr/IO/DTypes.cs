namespace Mfr.IO;

/// <summary>
/// Element-type names and sizes of the two file formats. The safetensors names and sizes are those of
/// the official crate's <c>Dtype</c> enum (huggingface/safetensors, safetensors/src/tensor.rs); the npy
/// descriptors are numpy's <c>dtype.str</c> for little-endian machines.
/// </summary>
internal static class DTypes
{
    /// <summary>Every element type the safetensors format defines with a whole number of bytes, and its size.</summary>
    private static readonly Dictionary<string, int> SafetensorsSizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1,
        ["U8"] = 1,
        ["I8"] = 1,
        ["F8_E5M2"] = 1,
        ["F8_E4M3"] = 1,
        ["F8_E8M0"] = 1,
        ["I16"] = 2,
        ["U16"] = 2,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I32"] = 4,
        ["U32"] = 4,
        ["F32"] = 4,
        ["F64"] = 8,
        ["I64"] = 8,
        ["U64"] = 8,
        ["C64"] = 8,
    };

    /// <summary>The known safetensors type names, for error messages.</summary>
    public static string KnownSafetensorsNames => string.Join(", ", SafetensorsSizes.Keys);

    /// <summary>Bytes per element of a safetensors type, or false when the name is not a known type.</summary>
    public static bool TryGetSafetensorsSize(string name, out int size) => SafetensorsSizes.TryGetValue(name, out size);

    /// <summary>Maps a safetensors type name to a type Mfr reads as float32.</summary>
    public static bool TryParseSafetensors(string name, out TensorDType type)
    {
        switch (name)
        {
            case "F32": type = TensorDType.F32; return true;
            case "F16": type = TensorDType.F16; return true;
            case "BF16": type = TensorDType.BF16; return true;
            case "F64": type = TensorDType.F64; return true;
            case "I32": type = TensorDType.I32; return true;
            case "I64": type = TensorDType.I64; return true;
            default: type = default; return false;
        }
    }

    /// <summary>
    /// Maps an npy <c>descr</c> to a readable type. numpy writes <c>'&lt;'</c> for little-endian
    /// multi-byte types; <c>'='</c> (native) and <c>'|'</c> (not applicable) are accepted too since
    /// this library only runs on little-endian machines.
    /// </summary>
    public static bool TryParseNpy(string descr, out TensorDType type)
    {
        type = default;
        if (descr.Length < 3 || (descr[0] != '<' && descr[0] != '=' && descr[0] != '|')) return false;
        switch (descr.AsSpan(1))
        {
            case "f4": type = TensorDType.F32; return true;
            case "f2": type = TensorDType.F16; return true;
            case "f8": type = TensorDType.F64; return true;
            case "i4": type = TensorDType.I32; return true;
            case "i8": type = TensorDType.I64; return true;
            default: return false;
        }
    }

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(TensorDType type) => type switch
    {
        TensorDType.F32 => 4,
        TensorDType.F16 => 2,
        TensorDType.BF16 => 2,
        TensorDType.F64 => 8,
        TensorDType.I32 => 4,
        TensorDType.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };
}
