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
        // Marks the job's processes (mpirun passes its environment to the ranks), to wait for them below.
        string marker = $"{LaunchMarker}={Guid.NewGuid():N}";
        start.Environment[LaunchMarker] = marker[(LaunchMarker.Length + 1)..];
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within 2 minutes.");
        }
        // When a rank dies, mpirun stops the others and returns, but may return before they are gone; a rank still
        // exiting holds its run folder's lock, and a test that resumes the folder at once would find it in use.
        WaitUntilGone(marker, TimeSpan.FromSeconds(30));
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }

    private const string LaunchMarker = "MFR_TEST_LAUNCH";

    /// <summary>Waits until no process has <paramref name="marker"/> (NAME=VALUE) in its environment (Linux /proc).</summary>
    private static void WaitUntilGone(string marker, TimeSpan timeout)
    {
        if (!Directory.Exists("/proc")) return;
        var deadline = DateTime.UtcNow + timeout;
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(marker + "\0");
        while (true)
        {
            var left = new List<string>();
            foreach (string entry in Directory.EnumerateDirectories("/proc"))
            {
                string name = Path.GetFileName(entry);
                if (!int.TryParse(name, out _)) continue;
                try
                {
                    if (File.ReadAllBytes(Path.Combine(entry, "environ")).AsSpan().IndexOf(needle) >= 0) left.Add(name);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The process ended meanwhile, or is not ours.
                }
            }
            if (left.Count == 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Processes {string.Join(", ", left)} of an MPI job still run {timeout.TotalSeconds:F0} s after mpirun ended.");
            Thread.Sleep(20);
        }
    }
}
