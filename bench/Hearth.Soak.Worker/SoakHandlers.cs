using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Soak.History;
using Hearth.Worker;

namespace Hearth.Soak.Worker;

/// <summary>
/// What the soak's jobs do, by their input's <c>kind</c>: <c>normal</c>, <c>slow</c>, <c>cancel</c> (sleep
/// <c>ms</c>), <c>zombie</c> (sleeps <c>ms</c> ignoring every stop, so a paused worker posts a stale result),
/// <c>error</c> (throws), <c>hang</c> (waits past its execution timeout; with <c>ignoreStopMs</c> it keeps running that
/// long after the stop and then posts a late result), <c>session</c> (<c>steps</c> journaled steps of <c>ms</c> each),
/// and on the stream endpoint <c>stream</c> (<c>chunks</c> chunks <c>ms</c> apart). Every output and error carries the
/// attempt, the worker, the pid and a nonce of this run, so the checker can tell which attempt wrote a result.
/// </summary>
internal sealed class SoakHandlers(EventLog log, TimeProvider time)
{
    public async Task<JsonElement> RunAsync(JsonElement input, JobContext ctx, CancellationToken ct)
    {
        var (kind, seq, ms) = (Text(input, "kind"), Number(input, "seq"), Number(input, "ms"));
        var nonce = Started(ctx, kind, seq);
        var steps = new JsonArray();
        switch (kind)
        {
            case "zombie":
                await Task.Delay(TimeSpan.FromMilliseconds(ms), time, CancellationToken.None).ConfigureAwait(false);
                break;
            case "error":
                await Task.Delay(TimeSpan.FromMilliseconds(ms), time, ct).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"soak error: job {seq} attempt={ctx.Attempt} worker={log.WorkerId} {nonce}");
            case "hang":
                await HangAsync(Number(input, "ignoreStopMs"), ct).ConfigureAwait(false);
                break;
            case "session":
                var scope = ctx.SessionId ?? ctx.Id;
                for (var i = 0; i < Number(input, "steps"); i++)
                {
                    var key = $"s{seq}-{i}";
                    var value = await ctx.StepAsync(key, async token =>
                    {
                        log.Write(new HistoryEvent
                        {
                            Type = EventTypes.StepRun, Job = ctx.Id, Scope = scope, Step = key, Attempt = ctx.Attempt,
                            Nonce = nonce,
                        });
                        await Task.Delay(TimeSpan.FromMilliseconds(ms), time, token).ConfigureAwait(false);
                        return $"{key}:{nonce}";
                    }, cancellationToken: ct).ConfigureAwait(false);
                    steps.Add(value);
                }

                break;
            default:
                await Task.Delay(TimeSpan.FromMilliseconds(ms), time, ct).ConfigureAwait(false);
                break;
        }

        return Output(ctx, kind, seq, nonce, steps);
    }

    public async IAsyncEnumerable<JsonElement> StreamAsync(
        JsonElement input, JobContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var (seq, ms) = (Number(input, "seq"), Number(input, "ms"));
        var nonce = Started(ctx, "stream", seq);
        for (var i = 0; i < Number(input, "chunks"); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), time, ct).ConfigureAwait(false);
            yield return JsonSerializer.SerializeToElement(new JsonObject
            {
                ["seq"] = seq, ["i"] = i, ["attempt"] = ctx.Attempt, ["worker"] = log.WorkerId, ["nonce"] = nonce,
            });
        }
    }

    /// <summary>Waits for the stop; with <paramref name="ignoreStopMs"/> it then runs on that long, as a handler that
    /// ignores its token would.</summary>
    private async Task HangAsync(long ignoreStopMs, CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ignoreStopMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ignoreStopMs), time, CancellationToken.None)
                .ConfigureAwait(false);
        }
    }

    private string Started(JobContext ctx, string kind, long seq)
    {
        var nonce = Nonce.New();
        log.Write(new HistoryEvent
        {
            Type = EventTypes.Start, Job = ctx.Id, Attempt = ctx.Attempt, Nonce = nonce, Kind = kind, Seq = seq,
            Scope = ctx.SessionId,
        });
        return nonce;
    }

    private JsonElement Output(JobContext ctx, string kind, long seq, string nonce, JsonArray steps) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["kind"] = kind, ["seq"] = seq, ["attempt"] = ctx.Attempt, ["worker"] = log.WorkerId, ["pid"] = log.Pid,
            ["nonce"] = nonce, ["steps"] = steps,
        });

    private static string Text(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : "normal";

    private static long Number(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var v) && v.TryGetInt64(out var n)
            ? n
            : 0;
}
