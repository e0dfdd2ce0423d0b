using System.Text.Json.Nodes;

namespace Mfr.Tests.Distributed;

/// <summary>Byte-for-byte comparison of two run folders' results: the final SAEs and evaluation, and metrics.jsonl without its wall times.</summary>
internal static class RunFolderComparison
{
    /// <summary>Asserts that every file under final/ is byte-identical and the metrics logs are equal line by line once elapsedSeconds is removed.</summary>
    public static void AssertSameResults(string expectedRun, string actualRun)
    {
        string expectedFinal = Path.Combine(expectedRun, "final"), actualFinal = Path.Combine(actualRun, "final");
        var files = Directory.GetFiles(expectedFinal, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expectedFinal, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(Path.Combine("sae-0", "sae_weights.safetensors"), files);
        Assert.Equal(files, Directory.GetFiles(actualFinal, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actualFinal, f)).Order(StringComparer.Ordinal).ToArray());
        foreach (string file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(expectedFinal, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualFinal, file))), $"final/{file} differs");
        var expectedLines = MetricLines(expectedRun);
        var actualLines = MetricLines(actualRun);
        Assert.Equal(expectedLines.Length, actualLines.Length);
        for (int i = 0; i < expectedLines.Length; i++) Assert.Equal(expectedLines[i], actualLines[i]);
    }

    /// <summary>The lines of metrics.jsonl with the wall-time field taken out (it differs between any two runs).</summary>
    public static string[] MetricLines(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line =>
        {
            var node = JsonNode.Parse(line)!.AsObject();
            node.Remove("elapsedSeconds");
            return node.ToJsonString();
        }).ToArray();
}
