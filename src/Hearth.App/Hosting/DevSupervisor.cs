using Hearth.Core.Placement;
using Hearth.Server.Jobs;
using Hearth.Server.Nodes;
using Hearth.Server.Scheduling;
using Hearth.Store.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.App.Hosting;

/// <summary>
/// <c>dev</c>'s worker side: the <see cref="Scheduler"/> over local processes (<see cref="LocalWorkerProvider"/>),
/// warm from the start (<c>max(min, 1)</c> workers per endpoint), and the count of workers ready. Disposing stops the
/// scheduler, then drains and stops every worker.
/// </summary>
internal sealed class DevSupervisor : IAsyncDisposable
{
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _ready = new(StringComparer.Ordinal);
    private readonly TextWriter _out;
    private readonly bool _quiet;
    private readonly int _expected;
    private LocalWorkerProvider? _provider;
    private Scheduler? _scheduler;

    private DevSupervisor(TextWriter output, bool quiet, int expected)
    {
        _out = output;
        _quiet = quiet;
        _expected = expected;
        if (expected == 0)
        {
            _allReady.TrySetResult();
        }
    }

    /// <summary>Completes when every worker started at launch has asked for its first job.</summary>
    public Task AllReady => _allReady.Task;

    public static async Task<DevSupervisor> StartAsync(ControlPlane plane, IReadOnlyList<ScheduledEndpoint> endpoints,
        Volumes volumes, NodeInventory node, bool cpuFallback, AppSettings settings, TextWriter output,
        CancellationToken cancellationToken)
    {
        var supervisor = new DevSupervisor(output, settings.Quiet,
            endpoints.Sum(e => Math.Max(e.Spec.WorkersMin, 1)));
        supervisor._provider = new LocalWorkerProvider(plane, node, volumes, output, supervisor.OnOutput);
        var options = new SchedulerOptions
        {
            // One owner per host and data directory: a dev restarted on the same data leads again at once.
            Owner = $"dev-{Environment.MachineName}-{Path.GetFullPath(settings.Data)}",
            UnseenLimit = plane.Options.Lease * 2,
            WarmStart = true,
            CpuFallback = cpuFallback,
            Expand = EnvReferences.Expand,
            Ready = supervisor.MarkReady,
        };
        supervisor._scheduler = new Scheduler(endpoints, supervisor._provider, plane.Store, plane.Signals,
            plane.Services.GetRequiredService<ClusterLeadership>(), options,
            plane.Services.GetRequiredService<TimeProvider>(),
            new ConsoleLines<Scheduler>(output), plane.Metrics,
            plane.Services.GetRequiredService<EndpointBoard>(), plane.Services.GetRequiredService<JobService>(),
            plane.Services.GetRequiredService<ProtocolDetector>());
        plane.UseWorkerDirectory(supervisor._scheduler);
        await supervisor._scheduler.StartAsync(cancellationToken).ConfigureAwait(false);
        return supervisor;
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

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.StopAsync(CancellationToken.None).ConfigureAwait(false);
            _scheduler.Dispose();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync().ConfigureAwait(false);
        }
    }
}
