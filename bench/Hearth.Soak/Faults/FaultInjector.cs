using System.Globalization;
using Hearth.Soak.History;
using Hearth.Soak.Running;

namespace Hearth.Soak.Faults;

/// <summary>
/// Applies faults at random while the load runs, each written to the history when applied: kill -9 of a worker,
/// SIGSTOP of a worker past its lease (then SIGCONT) or well within it, latency or connection cuts on the proxy between
/// workers and the control plane, and the control plane's own faults (a replica killed, redis-server restarted or
/// stopped for the outage length), one of those at a time. Workers are found by the pid files they write.
/// </summary>
internal sealed class FaultInjector(SoakContext soak, IControlPlane plane)
{
    private readonly Random _random = new(soak.Options.Seed + 1);
    private readonly Dictionary<string, int> _applied = new(StringComparer.Ordinal);
    private readonly HashSet<int> _paused = [];
    private readonly List<Task> _running = [];
    private Task _planeFault = Task.CompletedTask;

    /// <summary>Faults applied so far, by kind.</summary>
    public IReadOnlyDictionary<string, int> Applied => _applied;

    private (string Kind, int Weight)[] Kinds =>
    [
        .. new (string, int)[]
        {
            (FaultKinds.WorkerKill, 30), (FaultKinds.WorkerPause, 12), (FaultKinds.WorkerPauseShort, 10),
            (FaultKinds.ProxyLatency, 10), (FaultKinds.ProxyReset, 8),
        }.Concat(plane.PlaneFaults.Select(k => (k, 8))).Where(k => !soak.Options.NoFaults.Contains(k.Item1)),
    ];

    /// <summary>Runs until <paramref name="cancellationToken"/>, then ends every fault in progress (resumes paused
    /// processes, heals the proxy) before returning.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (soak.Options.FaultEverySeconds <= 0)
        {
            return;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var gap = soak.Options.FaultEverySeconds * (0.5 + _random.NextDouble());
                await Task.Delay(TimeSpan.FromSeconds(gap), soak.Time, cancellationToken).ConfigureAwait(false);
                Apply(Pick(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The load is over.
        }

        await Task.WhenAll(_running.Append(_planeFault)).ConfigureAwait(false);
    }

    private string Pick()
    {
        var kinds = Kinds;
        var n = _random.Next(kinds.Sum(k => k.Weight));
        foreach (var (kind, weight) in kinds)
        {
            if ((n -= weight) < 0)
            {
                return kind;
            }
        }

        return FaultKinds.WorkerKill;
    }

    private void Apply(string kind, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case FaultKinds.WorkerKill when Worker() is { } w:
                Signals.Send(w.Pid, Signals.Kill);
                Record(kind, w, soak.History.Now, null);
                break;
            case FaultKinds.WorkerPause when Worker() is { } w:
                Track(PauseAsync(kind, w, soak.Options.LeaseMs + _random.Next(3000, 6000)));
                break;
            case FaultKinds.WorkerPauseShort when Worker() is { } w:
                // Short enough that a hang the worker was told to stop meanwhile is still let go within the runaway grace (10 s).
                Track(PauseAsync(kind, w, _random.Next(1000, Math.Clamp(soak.Options.LeaseMs / 4, 1500, 3000))));
                break;
            case FaultKinds.ProxyLatency:
                Track(ProxyAsync(kind, _random.Next(10_000, 20_000), p => p.SetLatency(200, 150), p => p.SetLatency(0, 0)));
                break;
            case FaultKinds.ProxyReset:
                Track(ProxyAsync(kind, _random.Next(3000, 6000), p => p.SetResetChance(0.02), p => p.SetResetChance(0)));
                break;
            case var k when plane.PlaneFaults.Contains(k) && _planeFault.IsCompleted:
                _planeFault = PlaneAsync(k, cancellationToken);
                break;
        }
    }

    private void Track(Task task) => _running.Add(task);

    private async Task PlaneAsync(string kind, CancellationToken cancellationToken)
    {
        Count(kind);
        try
        {
            await plane.ApplyAsync(kind, _random, CancellationToken.None).ConfigureAwait(false);

            // Let it settle before the next plane fault.
            await Task.Delay(TimeSpan.FromSeconds(10), soak.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Over.
        }
    }

    private async Task PauseAsync(string kind, (int Pid, string Worker) w, int ms)
    {
        lock (_paused)
        {
            _paused.Add(w.Pid);
        }

        var stopped = soak.History.Now;
        Signals.Send(w.Pid, Signals.Stop);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), soak.Time).ConfigureAwait(false);
        }
        finally
        {
            Signals.Send(w.Pid, Signals.Continue);
            Record(kind, w, stopped, soak.History.Now);
            lock (_paused)
            {
                _paused.Remove(w.Pid);
            }
        }
    }

    private async Task ProxyAsync(string kind, int ms, Action<ChaosProxy> on, Action<ChaosProxy> off)
    {
        var proxy = soak.Proxy!;
        var from = soak.History.Now;
        on(proxy);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), soak.Time).ConfigureAwait(false);
        }
        finally
        {
            off(proxy);
            Count(kind);
            soak.History.Write(new HistoryEvent { Type = EventTypes.Fault, Kind = kind, T = from, Until = soak.History.Now, Target = "proxy" });
        }
    }

    /// <summary>A live worker that is not paused, from the pid files the workers write.</summary>
    private (int Pid, string Worker)? Worker()
    {
        var pids = Path.Combine(soak.Events, "pids");
        if (!Directory.Exists(pids))
        {
            return null;
        }

        var candidates = new List<(int, string)>();
        foreach (var file in Directory.EnumerateFiles(pids))
        {
            if (int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Signals.IsAlive(pid))
            {
                lock (_paused)
                {
                    if (_paused.Contains(pid))
                    {
                        continue;
                    }
                }

                try
                {
                    candidates.Add((pid, File.ReadAllText(file).Split(' ')[0]));
                }
                catch (IOException)
                {
                    // It exited meanwhile.
                }
            }
        }

        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    private void Record(string kind, (int Pid, string Worker) w, long at, long? until)
    {
        Count(kind);
        soak.History.Write(new HistoryEvent { Type = EventTypes.Fault, Kind = kind, T = at, Until = until, Pid = w.Pid, Worker = w.Worker, Target = "worker" });
    }

    private void Count(string kind)
    {
        lock (_applied)
        {
            _applied[kind] = _applied.GetValueOrDefault(kind) + 1;
        }
    }
}
