using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Hearth.Bench.Micro;

/// <summary>
/// The JSON handled per job on the dispatch path, done the way the code does it today: the control plane joins payloads
/// into a take-batch answer and parses each job-done body; the SDK worker parses the batch and clones each job, and
/// builds its done body by concatenation.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class JsonBenchmarks
{
    private string[] _payloads = [];
    private byte[] _batch = [];
    private byte[] _done = [];
    private JsonElement _output;

    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payloads = [.. Enumerable.Range(0, Batch).Select(_ => $"{{\"id\":\"{Guid.NewGuid():D}\",\"input\":{{\"prompt\":\"hello\",\"n\":1}}}}")];
        _batch = Encoding.UTF8.GetBytes("[" + string.Join(",", _payloads) + "]");
        _done = Encoding.UTF8.GetBytes("{\"output\":{\"text\":\"ok\",\"tokens\":3}}");
        _output = JsonDocument.Parse("{\"text\":\"ok\",\"tokens\":3}").RootElement;
    }

    /// <summary>WorkerRoutes.TakeCoreAsync: the take-batch answer.</summary>
    [Benchmark]
    public string ServerJoinTakeBatch() => "[" + string.Join(",", _payloads.Select(p => p)) + "]";

    /// <summary>WorkerProtocol.TakeAsync + HearthWorker.Start: parse the batch, clone each job.</summary>
    [Benchmark]
    public int WorkerParseTakeBatch()
    {
        var root = JsonDocument.Parse(_batch).RootElement;
        var n = 0;
        foreach (var job in root.EnumerateArray())
        {
            n += job.Clone().GetProperty("id").GetString()!.Length;
        }

        return n;
    }

    /// <summary>HearthWorker.ExecuteAsync: the job-done body (per job).</summary>
    [Benchmark]
    public string WorkerDoneBody() => "{\"output\":" + _output.GetRawText() + "}";

    /// <summary>WorkerRoutes.DoneAsync: parse the body, take the output's raw text (per job).</summary>
    [Benchmark]
    public int ServerParseDone()
    {
        using var doc = JsonDocument.Parse(_done);
        var root = doc.RootElement;
        var output = root.TryGetProperty("output", out var o) ? o.GetRawText() : null;
        _ = root.TryGetProperty("status", out _);
        _ = root.TryGetProperty("error", out _);
        return output!.Length;
    }
}
