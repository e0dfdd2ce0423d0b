using System.Diagnostics;
using Mfr.Tests.Reports;

namespace Mfr.Tests.Interop;

/// <summary>
/// Debian's python3 with python3-numpy (installed by .ci/run), which runs the fixture scripts that read
/// and write SAELens and sparsify folders as those libraries do (issue 15 item 6). Never the pyenv python
/// on PATH: the Debian package is the one CI installs.
/// </summary>
internal static class PythonNumpy
{
    public const string ExecutablePath = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(ExecutablePath)) return false;
        try
        {
            return Execute(["-c", "import numpy"]).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool IsInstalled => Available.Value;

    /// <summary>Folder of the fixture scripts in the test output.</summary>
    public static string FixturesFolder => Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures");

    /// <summary>Runs fixture <paramref name="script"/> with <paramref name="arguments"/>; fails the test with its stderr on a non-zero exit.</summary>
    public static void Run(string script, params string[] arguments)
    {
        var (exitCode, error) = Execute([Path.Combine(FixturesFolder, script), .. arguments]);
        if (exitCode != 0) throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited with {exitCode}:\n{error}");
    }

    private static (int ExitCode, string Error) Execute(string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = FixturesFolder };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }

    /// <summary>CI is expected to have python3-numpy, so there the tests fail instead of skipping.</summary>
    public static bool IsCi => HeadlessChromium.IsCi;
}
