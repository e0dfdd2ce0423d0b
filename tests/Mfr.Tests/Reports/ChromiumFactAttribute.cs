namespace Mfr.Tests.Reports;

/// <summary>
/// A [Fact] that needs headless Chromium at <see cref="HeadlessChromium.ExecutablePath"/>. Locally, without
/// Chromium, the test is skipped with the reason; on CI (environment variable CI=true) it runs anyway and
/// fails with a clear message, because CI is expected to install Chromium (.ci/run).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!HeadlessChromium.IsInstalled && !HeadlessChromium.IsCi)
        {
            Skip = $"Chromium not found at {HeadlessChromium.ExecutablePath} (install it: apt-get install -y chromium); with CI=true this test fails instead.";
        }
    }
}
