using System.CommandLine;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>
/// `--config FILE` and `--print-config` of a command whose settings are the config record
/// <typeparamref name="T"/>: the file replaces the record's defaults, and flags given on the command line
/// override the file (a flag not given, even one with a default, leaves the file's value).
/// </summary>
internal sealed class ConfigFileOptions<T>(T defaults) where T : class
{
    public Option<FileInfo?> File { get; } = new("--config") { Description = "JSON file of this command's settings (see --print-config); flags given on the command line override it." };

    public Option<bool> Print { get; } = new("--print-config") { Description = "Write the settings this command would run with (defaults, --config, flags) as JSON, and exit." };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Print);
    }

    /// <summary>The file's config when --config is given, else the defaults.</summary>
    public T Load(ParseResult parse) => parse.GetValue(File) is FileInfo file ? ConfigFile.Read<T>(file.FullName) : defaults;

    /// <summary>Writes <paramref name="config"/> when --print-config is given; true when it did (the command then exits 0).</summary>
    public bool Printed(ParseResult parse, T config, TextWriter output)
    {
        if (!parse.GetValue(Print)) return false;
        output.WriteLine(ConfigFile.Write(config));
        return true;
    }
}

/// <summary>Which flags the user gave, as opposed to their defaults.</summary>
internal static class ParseResultExtensions
{
    /// <summary>Whether <paramref name="option"/> was given on the command line.</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The flag's value when given, else <paramref name="current"/> (the config file's or the default).</summary>
    public static TValue Or<TValue>(this ParseResult parse, Option<TValue> option, TValue current) => parse.Given(option) ? parse.GetValue(option)! : current;
}
