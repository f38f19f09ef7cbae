using System.Globalization;

namespace Hearth.Soak.Running;

/// <summary>
/// The soak's workers where no <c>hearth dev</c> starts them (serve replicas with <c>--endpoint</c>, a test's
/// in-process control plane): <see cref="SoakOptions.Workers"/> main workers and one stream worker, each a real
/// process pointed at the chaos proxy, each restarted (with a new worker id) half a second after it exits.
/// </summary>
internal sealed class WorkerFleet(SoakContext soak, string controlPlane) : IAsyncDisposable
{
    private readonly List<(string Role, ChildProcess? Process)> _slots = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _supervising;
    private int _started;

    public void Start()
    {
        for (var i = 0; i < soak.Options.Workers; i++)
        {
            _slots.Add(("main", null));
        }

        _slots.Add(("stream", null));
        _supervising = SuperviseAsync(_stop.Token);
    }

    private async Task SuperviseAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i].Process is { HasExited: false })
                {
                    continue;
                }

                _slots[i].Process?.Dispose();
                _slots[i] = (_slots[i].Role, Launch(_slots[i].Role));
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), soak.Time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ChildProcess Launch(string role)
    {
        var n = Interlocked.Increment(ref _started);
        var endpoint = role == "stream" ? "soak-stream" : "soak";
        var id = $"soak-{role}-{n}";
        var v2 = $"{controlPlane.TrimEnd('/')}/v2/{endpoint}";
        var env = soak.HearthEnvironment();
        env["RUNPOD_WEBHOOK_GET_JOB"] = $"{v2}/job-take/$ID?";
        env["RUNPOD_WEBHOOK_POST_OUTPUT"] = $"{v2}/job-done/$RUNPOD_POD_ID/$ID?";
        env["RUNPOD_WEBHOOK_POST_STREAM"] = $"{v2}/job-stream/$RUNPOD_POD_ID/$ID?";
        env["RUNPOD_WEBHOOK_PING"] = $"{v2}/ping/$RUNPOD_POD_ID";
        env["RUNPOD_POD_ID"] = id;
        env["RUNPOD_AI_API_KEY"] = soak.WorkerToken;
        env["RUNPOD_ENDPOINT_ID"] = endpoint;
        env["RUNPOD_PING_INTERVAL"] = Math.Min(2000, soak.Options.LeaseMs / 3).ToString(CultureInfo.InvariantCulture);
        env["HEARTH_WORKER_CONCURRENCY"] = soak.Options.Concurrency.ToString(CultureInfo.InvariantCulture);
        return ChildProcess.Start("dotnet", [SoakContext.WorkerDll, role], env,
            Path.Combine(soak.Directory, "logs", id + ".log"), soak.Directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_supervising is not null)
        {
            await _supervising.ConfigureAwait(false);
        }

        await Task.WhenAll(_slots.Where(s => s.Process is not null)
            .Select(s => s.Process!.StopAsync(TimeSpan.FromSeconds(35)))).ConfigureAwait(false);
        foreach (var (_, process) in _slots)
        {
            process?.Dispose();
        }

        _stop.Dispose();
    }
}
