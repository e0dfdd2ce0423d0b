namespace Mfr.Tests.Interop;

/// <summary>
/// A [Fact] that needs /usr/bin/python3 with numpy. Locally without it the test is skipped with the reason;
/// on CI (CI=true) it runs and fails clearly, because .ci/run installs python3-numpy.
/// </summary>
public sealed class PythonNumpyFactAttribute : FactAttribute
{
    public PythonNumpyFactAttribute()
    {
        if (!PythonNumpy.IsInstalled && !PythonNumpy.IsCi)
            Skip = $"{PythonNumpy.ExecutablePath} with numpy not found (install it: apt-get install -y python3-numpy); with CI=true this test fails instead.";
    }
}
