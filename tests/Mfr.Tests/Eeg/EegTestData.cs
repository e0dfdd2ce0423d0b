namespace Mfr.Tests.Eeg;

/// <summary>
/// Locates test inputs: golden files copied next to the test assembly (TestData/Eeg) and the read-only
/// real data in shared/data (found by walking up from the folder holding Mfr.slnx: ../shared/data for
/// the main checkout, one level further up for a worktree).
/// </summary>
internal static class EegTestData
{
    private static readonly Lazy<string?> SharedData = new(FindSharedData);

    /// <summary>Full path of a golden file in TestData/Eeg.</summary>
    public static string Golden(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", "Eeg", fileName);

    /// <summary>The eegmat EDF folder, or null when the shared data is absent.</summary>
    public static string? EegmatFolder
    {
        get
        {
            if (SharedData.Value is null) return null;
            string folder = Path.Combine(SharedData.Value, "eeg", "eegmat");
            return Directory.Exists(folder) ? folder : null;
        }
    }

    private static string? FindSharedData()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Mfr.slnx"))) folder = folder.Parent;
        for (var ancestor = folder?.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            string candidate = Path.Combine(ancestor.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that is skipped, with a clear message, when shared/data/eeg/eegmat is absent.</summary>
public sealed class EegmatFactAttribute : FactAttribute
{
    public EegmatFactAttribute()
    {
        if (EegTestData.EegmatFolder is null)
            Skip = "shared/data/eeg/eegmat not found above the repository root (real EEG data absent; CI has it).";
    }
}

/// <summary>A theory that is skipped, with a clear message, when shared/data/eeg/eegmat is absent.</summary>
public sealed class EegmatTheoryAttribute : TheoryAttribute
{
    public EegmatTheoryAttribute()
    {
        if (EegTestData.EegmatFolder is null)
            Skip = "shared/data/eeg/eegmat not found above the repository root (real EEG data absent; CI has it).";
    }
}
