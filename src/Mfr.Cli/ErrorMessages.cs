using Mfr.Training;

namespace Mfr.Cli;

/// <summary>
/// Turns the exceptions a user can cause into one-line messages and exit codes (issue 13, classes 6 and 8):
/// <see cref="UsageError"/> for a bad flag or setting (an <see cref="ArgumentException"/>), <see cref="RuntimeFailure"/>
/// for bad data, a broken file, I/O or a diverged run, <see cref="Interrupted"/> for Ctrl+C or SIGTERM.
/// </summary>
internal static partial class ErrorMessages
{
    /// <summary>Exit code of a bad flag or setting (and of a command line that does not parse).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a failure while running: bad data, a broken or missing file, I/O, divergence, an internal error.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>Exit code of an interrupted command (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Whether <paramref name="exception"/> is one a user can cause and gets a plain message (everything else is an internal error).</summary>
    public static bool IsUserFacing(Exception exception) => Unwrap(exception) is ArgumentException or IOException or InvalidDataException
        or UnauthorizedAccessException or FormatException or NotSupportedException or System.Text.Json.JsonException or OperationCanceledException
        or TrainingDivergedException or OutOfMemoryException || IsLateParseError(exception);

    /// <summary>
    /// A flag value System.CommandLine could not convert, found only when a command reads it (an empty path to an option
    /// of several values does not fail the parse): the user's doing, a usage error like any other parse error.
    /// </summary>
    private static bool IsLateParseError(Exception exception) =>
        Unwrap(exception) is InvalidOperationException invalid && invalid.Message.StartsWith("Cannot parse argument ", StringComparison.Ordinal);

    /// <summary>The exit code for <paramref name="exception"/>.</summary>
    public static int ExitCode(Exception exception) => Unwrap(exception) switch
    {
        OperationCanceledException => Interrupted,
        ArgumentException => UsageError,
        _ when IsLateParseError(exception) => UsageError,
        _ => RuntimeFailure,
    };

    /// <summary>One line for the user: the exception's message without .NET's parameter-name and actual-value furniture.</summary>
    public static string Describe(Exception exception)
    {
        exception = Unwrap(exception);
        return exception switch
        {
            FileNotFoundException notFound => notFound.Message.StartsWith("Could not find file", StringComparison.Ordinal) ? $"file not found: {notFound.FileName}" : FirstLine(notFound.Message),
            OperationCanceledException => "interrupted",
            OutOfMemoryException => $"out of memory ({FirstLine(exception.Message)}); use smaller shapes (--latents, --batch-size) or fewer SAEs",
            ArgumentException argument => WithoutParameterName(argument),
            _ when IsLateParseError(exception) => DescribeParseError(exception.Message),
            _ => FirstLine(exception.Message),
        };
    }

    /// <summary>
    /// A command-line parse error as one line in the user's terms: System.CommandLine names the .NET type it wanted
    /// ("as expected type 'System.Nullable`1[System.UInt64]'"), which the user never typed; that becomes what the flag takes.
    /// Other parse errors ("Unrecognized command or argument 'x'.") are already in the user's terms.
    /// </summary>
    public static string DescribeParseError(string message)
    {
        var match = CannotParse().Match(message);
        // "Argument 'foo' not recognized. Must be one of:" lists the choices on tab-indented lines: one line, as every error.
        if (!match.Success) return string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(part => part.Trim()))
            .Replace("' '", "', '", StringComparison.Ordinal);
        string wanted = match.Groups["type"].Value switch
        {
            "Int32" => "an integer (at most 2,147,483,647)",
            "Int64" => "an integer",
            "UInt32" => "a non-negative integer (at most 4,294,967,295)",
            "UInt64" => "a non-negative integer (below 2^64)",
            "Single" or "Double" or "Decimal" => "a number",
            "Boolean" => "true or false",
            "IO.DirectoryInfo" => "a folder path",
            "IO.FileInfo" => "a file path",
            _ => "another kind of value",
        };
        return $"{match.Groups["option"].Value} needs {wanted}, got '{match.Groups["value"].Value}'.";
    }

    /// <summary>
    /// <see cref="ArgumentException.Message"/> appends " (Parameter 'name')", and <see cref="ArgumentOutOfRangeException"/> a
    /// second line "Actual value was N."; both name internals the user never typed, so only the sentence before them is kept.
    /// </summary>
    internal static string WithoutParameterName(ArgumentException exception)
    {
        string message = FirstLine(exception.Message);
        if (exception.ParamName is { } name)
        {
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        return message;
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1, InnerException: { } inner }) exception = inner;
        return exception;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?:System\.Nullable`1\[)?System\.(?<type>[A-Za-z0-9.]+?)\]?'\.$")]
    private static partial System.Text.RegularExpressions.Regex CannotParse();
}
