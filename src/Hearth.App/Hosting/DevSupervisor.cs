using System.Reflection;
using Hearth.App.Gpus;
using Hearth.App.Scaling;
using Hearth.Core.Endpoints;
using Hearth.Core.Wire;
using Hearth.Scaling.Processes;

namespace Hearth.App.Hosting;

/// <summary>
/// <c>dev</c>'s worker side: one <see cref="WorkerPool"/> per endpoint keeping <c>max(min, 1)</c> worker processes up
/// (C# endpoints relaunch this app in its worker role; YAML endpoints run their <c>command:</c>), restarting crashed
/// ones with backoff, and stopping them all — drained, then killed — when the app stops.
/// </summary>
internal sealed class DevSupervisor : IAsyncDisposable
{
    private readonly ProcessProvider _provider;
    private readonly List<WorkerPool> _pools = [];
    private readonly List<EndpointTracker> _trackers = [];
    private DevScheduler? _scheduler;
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TextWriter _out;
    private readonly bool _quiet;
    private readonly HashSet<string> _ready = new(StringComparer.Ordinal);
    private int _expected;

    private DevSupervisor(TextWriter output, bool quiet)
    {
        _out = output;
        _quiet = quiet;
        _provider = new ProcessProvider(new ProcessProviderOptions { OutputSink = OnOutput });
        _provider.Exited += OnExited;
    }

    /// <summary>Completes when every worker started so far has asked for its first job.</summary>
    public Task AllReady => _allReady.Task;

    public static async Task<DevSupervisor> StartAsync(ControlPlane plane, IReadOnlyList<DevEndpoint> endpoints, Volumes volumes, GpuPlacement placement, TextWriter output, bool quiet, CancellationToken cancellationToken)
    {
        var supervisor = new DevSupervisor(output, quiet);
        supervisor._provider.Exited += (_, e) => placement.Release(e.WorkerId);
        var unseen = plane.Options.Lease * 2;
        foreach (var endpoint in endpoints)
        {
            // Warm from the start, even at min 0: the first request in dev should not pay a cold start. Idle workers
            // above the minimum then stop after the idle timeout, like any others.
            var count = Math.Max(endpoint.Spec.WorkersMin, 1);
            supervisor._expected += count;
            var pool = new WorkerPool(endpoint.Spec.Name, supervisor._provider, id => Launch(plane, endpoint, volumes, placement, id));
            var tracker = new EndpointTracker(endpoint.Spec, pool, unseen, volumes, placement);
            tracker.Decided(TimeProvider.System.GetUtcNow(), count);
            pool.LaunchFailed += (_, workerId) => placement.Release(workerId);
            pool.WorkerStarted += (_, handle) =>
            {
                tracker.Started(handle);
                supervisor.OnStarted(handle);
            };
            supervisor._pools.Add(pool);
            supervisor._trackers.Add(tracker);
            pool.SetDesired(count);
            await pool.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        supervisor._scheduler = new DevScheduler(plane.Store, plane.Signals, supervisor._trackers, output,
            TimeProvider.System, plane.Metrics, supervisor.MarkReady);
        plane.UseWorkerDirectory(supervisor._scheduler);
        supervisor._scheduler.Start();

        if (supervisor._expected == 0)
        {
            supervisor._allReady.TrySetResult();
        }

        return supervisor;
    }

    private static WorkerLaunch Launch(ControlPlane plane, DevEndpoint endpoint, Volumes volumes, GpuPlacement placement, string workerId)
    {
        var spec = endpoint.Spec;
        var env = WorkerEnvironment.ForEndpoint(spec, EnvReferences.Expand);
        WorkerEnvironment.AddConnection(env, new WorkerConnection(plane.Address, spec.Name, workerId,
            plane.WorkerTokens[spec.Name], (long)plane.Options.HeartbeatInterval.TotalMilliseconds,
            (long)plane.Options.Lease.TotalMilliseconds));
        env[WorkerVariables.CallKey] = plane.CallKey;
        if (spec.Volume is { } volume)
        {
            var path = volumes.Ensure(volume);
            env[WorkerVariables.VolumePath] = path;
            env[WorkerVariables.RunpodVolumePath] = path;
        }

        // Last, so nothing after it can fail with cards reserved. Throws when no card can hold the worker: the pool
        // backs off and the endpoint shows Throttled with the reason.
        foreach (var (name, value) in placement.Place(workerId, spec, endpoint.BytesPerGpu))
        {
            env[name] = value;
        }

        if (spec.Command is { } command)
        {
            return new WorkerLaunch(workerId, spec.Name, "/bin/sh", ["-c", command], env, endpoint.WorkingDirectory);
        }

        var (file, args) = SelfCommand();
        return new WorkerLaunch(workerId, spec.Name, file, [.. args, "worker", "--endpoint", spec.Name], env);
    }

    /// <summary>How to start this same app again: its apphost, or <c>dotnet app.dll</c>.</summary>
    private static (string File, string[] Args) SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" && entry is not null ? (host, [entry]) : (host, []);
    }

    private void OnStarted(WorkerHandle handle)
    {
        _out.WriteLine($"  {handle.Endpoint}: starting worker {handle.WorkerId} (pid {handle.ProcessId})");
    }

    private void OnOutput(string workerId, string line)
    {
        if (line.Contains($"worker {workerId} ready", StringComparison.Ordinal))
        {
            MarkReady(workerId);
            return;
        }

        if (!_quiet)
        {
            _out.WriteLine($"  [{workerId}] {line}");
        }
    }

    /// <summary>
    /// A worker is ready when it says so (Hearth's SDK and samples print "worker ID ready") or when the store first
    /// sees it take (any Runpod worker, e.g. runpod-python, which prints nothing of the kind); counted once either way.
    /// </summary>
    private void MarkReady(string workerId)
    {
        lock (_ready)
        {
            if (_ready.Add(workerId) && _ready.Count >= _expected)
            {
                _allReady.TrySetResult();
            }
        }
    }

    private void OnExited(object? sender, WorkerExited e)
    {
        if (!e.Requested)
        {
            _out.WriteLine($"  {e.Endpoint}: worker {e.WorkerId} exited with code {e.ExitCode}; restarting with backoff" +
                (e.LastStderrLines.Count > 0 ? $". Last output: {e.LastStderrLines[^1]}" : string.Empty));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_pools.Select(p => p.StopAsync())).ConfigureAwait(false);
        foreach (var pool in _pools)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>An endpoint as <c>dev</c> runs it: its spec, where a <c>command:</c> runs from, and its VRAM per GPU (from its model; null = whole cards).</summary>
internal sealed record DevEndpoint(EndpointSpec Spec, string? WorkingDirectory, long? BytesPerGpu = null);
