namespace Mfr.Cli;

/// <summary>Turns the exceptions a user can cause (bad input, missing or corrupt files) into one-line messages.</summary>
internal static class ErrorMessages
{
    public static bool IsUserFacing(Exception exception) => exception is ArgumentException or IOException or InvalidDataException
        or UnauthorizedAccessException or FormatException or NotSupportedException or System.Text.Json.JsonException or OperationCanceledException
        or AggregateException { InnerException: not null };

    public static string Describe(Exception exception)
    {
        if (exception is AggregateException { InnerException: { } inner }) return Describe(inner);
        return exception switch
        {
            FileNotFoundException notFound => notFound.Message.StartsWith("Could not find file", StringComparison.Ordinal) ? $"file not found: {notFound.FileName}" : notFound.Message,
            DirectoryNotFoundException => exception.Message,
            OperationCanceledException => "interrupted",
            _ => exception.Message,
        };
    }
}
