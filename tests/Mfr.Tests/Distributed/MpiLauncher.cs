using System.Diagnostics;

namespace Mfr.Tests.Distributed;

/// <summary>
/// Runs the mfr CLI built next to the tests (Mfr.Cli.dll) as a job of <c>mpirun --oversubscribe --allow-run-as-root
/// -np N</c> on this machine (loopback only), or as one plain process, and returns what it printed.
/// </summary>
internal static class MpiLauncher
{
    /// <summary>Full path of mpirun on PATH, or null.</summary>
    public static string? MpirunPath { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(folder => Path.Combine(folder, "mpirun")).FirstOrDefault(File.Exists);

    private static string CliPath => Path.Combine(AppContext.BaseDirectory, "Mfr.Cli.dll");

    /// <summary>What a launch printed and returned.</summary>
    public sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary><c>mpirun -np <paramref name="ranks"/> dotnet Mfr.Cli.dll <paramref name="args"/></c>.</summary>
    public static Outcome Mpi(int ranks, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string mpirun = MpirunPath ?? throw new InvalidOperationException("mpirun (Open MPI) is not on PATH; .ci/run installs openmpi-bin and libopenmpi-dev.");
        return Launch(mpirun, ["--oversubscribe", "--allow-run-as-root", "--mca", "btl_tcp_if_include", "lo", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", CliPath, .. args], environment);
    }

    /// <summary>
    /// <c>mpirun -np 1 dotnet Mfr.Cli.dll ARGS : -np 1 env NAME=VALUE... dotnet Mfr.Cli.dll ARGS</c>: two ranks, the variables
    /// set for rank 1 only (Open MPI's MPMD form).
    /// </summary>
    public static Outcome MpiWithRank1Environment(IReadOnlyDictionary<string, string> rank1Environment, params string[] args)
    {
        string mpirun = MpirunPath ?? throw new InvalidOperationException("mpirun (Open MPI) is not on PATH; .ci/run installs openmpi-bin and libopenmpi-dev.");
        string[] rank1 = ["env", .. rank1Environment.Select(v => $"{v.Key}={v.Value}"), "dotnet", CliPath, .. args];
        return Launch(mpirun, ["--oversubscribe", "--allow-run-as-root", "--mca", "btl_tcp_if_include", "lo", "-np", "1", "dotnet", CliPath, .. args, ":", "-np", "1", .. rank1], null);
    }

    /// <summary>The CLI in this test process (no MPI launcher: one process, libmpi never loaded).</summary>
    public static Outcome InProcess(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Mfr.Cli.CliApplication.Run(args, output, error);
        return new Outcome(code, output.ToString(), error.ToString());
    }

    private static Outcome Launch(string program, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // One thread per process: the figures do not depend on it, and the machine's two cores are shared.
        start.Environment["MFR_THREADS"] = "1";
        start.Environment["TERM"] = "dumb";
        // Loops start in quick JIT code, as in the test process: the arithmetic is the same, the start-up of each rank shorter.
        start.Environment["DOTNET_TC_QuickJitForLoops"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within 2 minutes.");
        }
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}
