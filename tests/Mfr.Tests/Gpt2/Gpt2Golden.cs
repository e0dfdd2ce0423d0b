using System.Text.Json;

namespace Mfr.Tests.Gpt2;

/// <summary>
/// Expected values for the tiny GPT-2 in TestData/Gpt2, computed by torch (tools/golden/gpt2_make_golden.py).
/// Run "a": two sequences of 24 tokens; run "b": one sequence of the full 160-token context.
/// </summary>
internal static class Gpt2Golden
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllBytes(Gpt2TestFiles.TestDataPath("golden.json"))));

    public static string F32Model => Gpt2TestFiles.TestDataPath("tiny_f32");

    public static string F16PrefixedModel => Gpt2TestFiles.TestDataPath("tiny_f16_prefixed");

    public static int BatchSize(string run) => Run(run).GetProperty("batch_size").GetInt32();

    public static int SequenceLength(string run) => Run(run).GetProperty("sequence_length").GetInt32();

    public static int[] Tokens(string run) => Run(run).GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static float[] Floats(string run, string name) => Run(run).GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static double Number(string run, string name) => Run(run).GetProperty(name).GetDouble();

    private static JsonElement Run(string run) => Document.Value.RootElement.GetProperty(run);
}
