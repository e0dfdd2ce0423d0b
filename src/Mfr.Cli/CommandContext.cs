namespace Mfr.Cli;

/// <summary>What every command gets: where to write, and the token that Ctrl+C or SIGTERM cancels.</summary>
/// <param name="Output">Results (tables, paths).</param>
/// <param name="Error">Errors and the live progress line.</param>
/// <param name="Cancellation">Cancelled on interrupt; long work checkpoints and returns.</param>
/// <param name="Interactive">Whether the error stream is a terminal (live progress line) or a file/pipe (periodic lines).</param>
internal sealed record CommandContext(TextWriter Output, TextWriter Error, CancellationToken Cancellation, bool Interactive);
