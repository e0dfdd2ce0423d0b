namespace Mfr.IO;

/// <summary>
/// Element types that Mfr can read from tensor files (safetensors names; npy equivalents in brackets).
/// Other types that a safetensors file may declare (U8, BOOL, F8_E4M3, ...) are listed in
/// <see cref="SafetensorsFile.TensorNames"/> and <see cref="SafetensorsFile.GetInfo"/>, but reading
/// them throws an <see cref="InvalidDataException"/> that names the type.
/// </summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32 (<c>&lt;f4</c>); read as is.</summary>
    F32,

    /// <summary>IEEE 754 binary16 (<c>&lt;f2</c>); converted exactly to F32.</summary>
    F16,

    /// <summary>bfloat16, the top 16 bits of a binary32; converted exactly to F32 by a 16-bit shift.</summary>
    BF16,

    /// <summary>IEEE 754 binary64 (<c>&lt;f8</c>); rounded to the nearest F32.</summary>
    F64,

    /// <summary>Signed 32-bit integer (<c>&lt;i4</c>); rounded to the nearest F32.</summary>
    I32,

    /// <summary>Signed 64-bit integer (<c>&lt;i8</c>); rounded to the nearest F32.</summary>
    I64,
}
