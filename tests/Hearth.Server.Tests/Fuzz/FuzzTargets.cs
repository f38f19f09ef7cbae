namespace Hearth.Server.Tests.Fuzz;

/// <summary>What the fuzzed server holds, so generated paths hit real endpoints, jobs, workers, nodes and keys.</summary>
public sealed class FuzzTargets
{
    public required IReadOnlyList<string> Endpoints { get; init; }

    public required IReadOnlyList<string> JobIds { get; init; }

    public required IReadOnlyList<string> KeyIds { get; init; }

    public IReadOnlyList<string> Workers { get; init; } = ["w-fuzz", "w-other"];

    public IReadOnlyList<string> Nodes { get; init; } = ["gpu-fuzz"];

    /// <summary>Every kind of credential the server knows (and one it revoked).</summary>
    public required IReadOnlyList<string> Keys { get; init; }

    /// <summary>The values a route parameter of this name takes when it is not given a hostile one.</summary>
    public string[] ValuesFor(string parameter) => parameter switch
    {
        "endpoint" => [.. Endpoints],
        "id" => [.. JobIds, .. KeyIds],
        "jobId" => [.. JobIds],
        "workerId" => [.. Workers],
        "name" => [.. Endpoints, .. Nodes],
        _ => ["x1"],
    };
}
