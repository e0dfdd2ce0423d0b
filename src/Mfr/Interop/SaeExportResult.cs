namespace Mfr.Interop;

/// <summary>Where an export went and what its activation check found.</summary>
/// <param name="Directory">The folder written.</param>
/// <param name="Layout">SAELens or sparsify.</param>
/// <param name="Check">The activation-semantics check (issue 15 item 2).</param>
public sealed record SaeExportResult(string Directory, SaeLayout Layout, ActivationCheck Check);
