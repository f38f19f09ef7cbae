using System.Globalization;
using Hearth.Store.Jobs;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store;

public sealed partial class RedisHearthStore
{
    /// <inheritdoc />
    public async Task<StateRead> GetStateAsync(
        string endpoint, string jobId, string workerId, string key, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.StateGet, endpoint, [jobId, workerId, key])
            .ConfigureAwait(false))!;
        return (long)r[0] == 1 ? new StateRead(true, r.Length > 1 ? (string?)r[1] : null) : new StateRead(false, null);
    }

    /// <inheritdoc />
    public async Task<StateWrite> PutStateAsync(string endpoint, string jobId, string workerId, string key,
        string? valueJson, long nowMs, CancellationToken cancellationToken = default)
    {
        if (valueJson is not null)
        {
            _admit?.Invoke();
        }

        var r = (long)await EvalAsync(ScriptLibrary.StatePut, endpoint,
            [jobId, workerId, key, valueJson ?? string.Empty, Ms(nowMs), SessionLimits.MaxStateKeys,
                Growth.MaxStateBytes])
            .ConfigureAwait(false);
        await DurableAsync(cancellationToken).ConfigureAwait(false);
        return r switch
        {
            1 => StateWrite.Written,
            0 => StateWrite.NotFound,
            -2 => StateWrite.TooManyKeys,
            -3 => StateWrite.TooLarge,
            _ => StateWrite.NotHolder,
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(
        string endpoint, int max, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Sessions, endpoint, [Math.Max(1, max)])
            .ConfigureAwait(false))!;
        var sessions = new List<SessionSummary>(r.Length / 6);
        for (var i = 0; i + 5 < r.Length; i += 6)
        {
            sessions.Add(new SessionSummary((string)r[i]!, Worker(r[i + 1]), Number(r[i + 2]), Number(r[i + 3]),
                (int)r[i + 4], (int)r[i + 5]));
        }

        return sessions;
    }

    /// <inheritdoc />
    public async Task<SessionDetail?> GetSessionAsync(
        string endpoint, string sessionId, int previewBytes, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.SessionGet, endpoint,
            [sessionId, Math.Max(0, previewBytes)]).ConfigureAwait(false))!;
        if ((long)r[0] != 1)
        {
            return null;
        }

        var stepCount = (int)r[5];
        var steps = new List<JournaledStep>(stepCount);
        var i = 6;
        for (var n = 0; n < stepCount; n++, i += 5)
        {
            steps.Add(new JournaledStep((string)r[i]!, (string)r[i + 1]!, Number(r[i + 2]), (long)r[i + 3],
                (string)r[i + 4]!));
        }

        var state = new List<StateValue>();
        for (; i + 2 < r.Length; i += 3)
        {
            state.Add(new StateValue((string)r[i]!, (long)r[i + 1], (string)r[i + 2]!));
        }

        var summary = new SessionSummary(sessionId, Worker(r[1]), Number(r[2]), Number(r[3]), stepCount, state.Count);
        return new SessionDetail(summary, Number(r[4]), steps, state);
    }

    private static string? Worker(RedisResult r) => (string?)r is { Length: > 0 } w ? w : null;

    // Scores come back as text ("1764090000000" or, from some servers, "1.76409e+12"): parsed as a double.
    private static long Number(RedisResult r) =>
        (long)double.Parse((string)r!, NumberStyles.Float, CultureInfo.InvariantCulture);
}
