using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.RunpodPython;

/// <summary>
/// recording.json: every request the genuine runpod-python SDK sent to <c>hearth dev</c> and Hearth's answer, with the
/// client calls around them, in replay order (made by record.py; see README.md there).
/// </summary>
internal sealed record RunpodPythonRecording(
    string RunpodPython,
    IReadOnlyDictionary<string, string> WorkerIds,
    IReadOnlyList<RecordedExchange> Events)
{
    public static string Directory =>
        Path.Combine(WorkerProcess.RepoRoot(), "tests", "Hearth.Server.Tests", "RunpodPython");

    public static RunpodPythonRecording Load() =>
        JsonSerializer.Deserialize<RunpodPythonRecording>(
            File.ReadAllText(Path.Combine(Directory, "recording.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
}

/// <summary>One request and its answer; <c>Side</c>: <c>worker</c> (the SDK) or <c>client</c> (the recorder).</summary>
internal sealed record RecordedExchange(
    string Side,
    string Endpoint,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string>? Headers,
    string? Body,
    int Status,
    string? ContentType,
    string Response,
    string? Label,
    long EndedMs)
{
    public bool IsWorker => Side == "worker";

    public override string ToString() => $"{Side} {Method} {Path} at {EndedMs} ms ({Label ?? "no label"})";
}

/// <summary>
/// What legitimately differs between the recording and a replay, made equal on both sides before comparing. Each rule
/// is the smallest that covers one varying value; anything else must match byte for byte. Besides these three: the
/// worker's Authorization is the test server's worker token (hearth dev makes a random one per run), and client calls
/// carry the test server's client key. Worker ids need no rule: the replay uses the recorded ones.
/// </summary>
internal static partial class Normalization
{
    /// <summary>
    /// 1. Job ids: Hearth makes a new random id per job. The recorded ids are replaced by the replay's ids (learned
    /// from each /run answer) wherever they occur: in paths, bodies, X-Request-ID and answers. Not a pattern: an id in
    /// the wrong place still fails.
    /// </summary>
    public static string Ids(string text, IReadOnlyDictionary<string, string> recordedToLive) =>
        recordedToLive.Aggregate(text, (t, pair) => t.Replace(pair.Key, pair.Value, StringComparison.Ordinal));

    /// <summary>
    /// 2. <c>delayTime</c> and <c>executionTime</c> (durations in ms in /status and /stream): they measure wall time
    /// in the recording and the test's virtual clock in the replay. The field, its place and that it is a whole number
    /// are still compared; only the digits are not.
    /// 3. <c>traceparent</c> in a taken job (a Hearth extension runpod-python ignores): random trace and span ids. The
    /// version, the flags and the shape (32 and 16 lower-case hex digits) are still compared.
    /// 4. <c>attempts</c> beside a non-empty <c>jobsToStop</c> (a Hearth extension added after the recording, which
    /// runpod-python ignores: it reads <c>jobsToStop</c> only). The stop orders themselves are still compared.
    /// </summary>
    public static string Answer(string text) =>
        StopAttempts().Replace(TraceParent().Replace(
            Durations().Replace(text, "\"$1\":<ms>"), "\"traceparent\":\"00-<trace-id>-<span-id>-$1\""), string.Empty);

    [GeneratedRegex(",\"attempts\":\\{[^{}]*\\}")]
    private static partial Regex StopAttempts();

    [GeneratedRegex("\"(delayTime|executionTime)\":[0-9]+")]
    private static partial Regex Durations();

    [GeneratedRegex("\"traceparent\":\"00-[0-9a-f]{32}-[0-9a-f]{16}-([0-9a-f]{2})\"")]
    private static partial Regex TraceParent();
}
