using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 13, class 1: the metrics log is append-only; resuming only cuts the lines past the step resumed from.</summary>
public sealed class MetricLogTests
{
    private const string Log = """
        {"type":"recovery","step":0,"mmcs":[0.1]}
        {"type":"step","step":1,"losses":[0.5]}
        {"type":"reinit","step":2,"sae":0,"score":3.1,"count":1}
        {"type":"step","step":2,"losses":[0.4]}
        {"type":"step","step":3,"losses":[0.3]}
        {"type":"step","step":4,"los
        """;

    [Fact]
    public void Opening_CutsTheLinesPastTheStep_InPlace_KeepingTheOthersAsWritten()
    {
        // Given a log through step 3 and a line cut by a kill, held open by a reader (as `mfr report` would)
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        File.WriteAllText(path, Log);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        // When a run resuming from step 2 opens it
        int dropped;
        using (var log = new MetricLog(path, keepThroughStep: 2)) dropped = log.DroppedLineCount;

        // Then the file is the same file (the reader sees the cut: not a rewritten copy), holding exactly the
        // bytes of the lines through step 2, and the two lines past it are counted
        string kept = string.Join("\n", Log.Split('\n').Take(4)) + "\n";
        Assert.Equal(kept, File.ReadAllText(path));
        Assert.Equal(kept, new StreamReader(reader).ReadToEnd());
        Assert.Equal(2, dropped);
    }

    [Fact]
    public void ResumingFromStep0_KeepsTheStep0Lines()
    {
        // Given a log of a run killed before its first checkpoint
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        File.WriteAllText(path, Log);

        // When a run resuming from its initialisation opens it
        long? last;
        using (var log = new MetricLog(path, keepThroughStep: 0)) last = log.LastStep;

        // Then only the step-0 line stays (a fresh log was once made here by truncating everything)
        Assert.Equal(Log.Split('\n')[0] + "\n", File.ReadAllText(path));
        Assert.Equal(0, last);
    }

    [Fact]
    public void AKeptLastLineWithoutItsNewline_GetsOne_SoAppendsStartALine()
    {
        // Given a log whose last complete line lost its newline (killed between the two writes)
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        File.WriteAllText(path, "{\"type\":\"step\",\"step\":1}\n{\"type\":\"step\",\"step\":2}");

        // When opened at step 2 and a line is appended
        using (var log = new MetricLog(path, keepThroughStep: 2)) log.Write("note", 3, new { value = 1 });

        // Then the lines stay whole
        Assert.Equal(["{\"type\":\"step\",\"step\":1}", "{\"type\":\"step\",\"step\":2}", "{\"type\":\"note\",\"step\":3,\"value\":1}", ""], File.ReadAllText(path).Split('\n'));
    }

    [Fact]
    public void ReadingAStepLineThatLacksFields_NamesTheFileTheLineAndTheFields()
    {
        // Given a log whose second line is a step line someone cut down by hand
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        File.WriteAllText(path, """
            {"type":"step","step":1,"samples":32,"losses":[0.5],"l0":[4],"deadLatents":[0],"reinitScores":[1],"penalty":0,"beta":null,"pairMmcs":[],"elapsedSeconds":0.1}
            {"type":"step","step":2,"losses":[0.4]}
            """);

        // When its steps are read (as `mfr report` and `mfr export-metrics` do)
        var error = Assert.Throws<InvalidDataException>(() => MetricLog.ReadSteps(path).ToList());

        // Then one line says where and what, instead of a NullReferenceException in whatever used the record
        Assert.StartsWith($"{path} line 2: missing required field(s) ", error.Message);
        Assert.Contains("'samples'", error.Message);
    }

    [Fact]
    public void LinesThatAreNoObjectOfTheLog_AreSkipped_AsLinesCutByAnInterruption()
    {
        // Given a log with a JSON array, a number and a non-string type among its lines
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        File.WriteAllText(path, """
            []
            5
            {"type":7}
            {"type":"step","step":1,"samples":32,"losses":[0.5],"l0":[4],"deadLatents":[0],"reinitScores":[1],"penalty":0,"beta":null,"pairMmcs":[],"elapsedSeconds":0.1}
            """);

        // Then the step line is read, and the others are not taken for lines of any kind
        Assert.Equal([1L], MetricLog.ReadSteps(path).Select(s => s.Step));
    }
}
