using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mfr.Training;

/// <summary>The settings in which two run specifications differ, as "path: saved, now requested" lines.</summary>
internal static class SpecificationDifferences
{
    /// <summary>Compares the two as they are written to run.json, leaf by leaf.</summary>
    /// <param name="saved">The specification of the run folder.</param>
    /// <param name="requested">The one asked for now.</param>
    /// <param name="options">The run.json serializer options.</param>
    /// <returns>One line per differing setting, in document order; empty when they are the same.</returns>
    public static IReadOnlyList<string> Between(RunSpecification saved, RunSpecification requested, JsonSerializerOptions options)
    {
        var differences = new List<string>();
        Compare(JsonSerializer.SerializeToNode(saved, options), JsonSerializer.SerializeToNode(requested, options), "", differences);
        return differences;
    }

    private static void Compare(JsonNode? saved, JsonNode? requested, string path, List<string> differences)
    {
        if (saved is JsonObject savedObject && requested is JsonObject requestedObject)
        {
            foreach (string name in savedObject.Select(p => p.Key).Union(requestedObject.Select(p => p.Key)))
                Compare(savedObject[name], requestedObject[name], path.Length == 0 ? name : $"{path}.{name}", differences);
            return;
        }
        if (saved is JsonArray savedArray && requested is JsonArray requestedArray && savedArray.Count == requestedArray.Count)
        {
            for (int i = 0; i < savedArray.Count; i++) Compare(savedArray[i], requestedArray[i], $"{path}[{i}]", differences);
            return;
        }
        if (!JsonNode.DeepEquals(saved, requested)) differences.Add($"{path}: saved {Text(saved)}, now {Text(requested)}");
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "none";
}
