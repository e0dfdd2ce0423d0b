using System.Diagnostics;
using System.Text;

namespace Mfr.Tests.Reports;

/// <summary>
/// Runs /usr/bin/chromium headless on a local file: a screenshot, or the DOM after scripts ran
/// (--dump-dom). Each run gets a fresh profile folder and no network features, and is killed (with its
/// child processes) if it outlives the timeout.
/// </summary>
internal static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Screenshot(string htmlPath, string pngPath, int width, int height) =>
        Run([$"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars", FileUrl(htmlPath)]);

    public static string DumpDom(string htmlPath, int width = 1200, int height = 2000) =>
        Run(["--dump-dom", $"--window-size={width},{height}", FileUrl(htmlPath)]);

    private static string FileUrl(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    private static string Run(IEnumerable<string> arguments)
    {
        Assert.True(IsInstalled, $"Chromium is required on CI but {ExecutablePath} does not exist; install it with: apt-get install -y chromium");
        string profile = Directory.CreateTempSubdirectory("mfr-chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(ExecutablePath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] common =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            ];
            foreach (string argument in common.Concat(arguments)) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds} s. stderr:\n{Tail(stderr)}");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"Chromium exited with code {process.ExitCode}. stderr:\n{Tail(stderr)}");
            return stdout.ToString();
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(StringBuilder text)
    {
        string all = text.ToString();
        return all.Length <= 2000 ? all : all[^2000..];
    }
}
