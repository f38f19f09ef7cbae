using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearth.Scaling.Processes;

/// <summary>
/// Keeps the desired number of workers of one endpoint running through an <see cref="IWorkerProvider"/>: surplus
/// workers are stopped, and a worker that exits on its own is restarted with exponential backoff. Repeated quick
/// exits turn the pool <see cref="PoolHealth.Unhealthy"/>; it keeps retrying at the capped backoff.
/// </summary>
/// <remarks>All decisions are made by one loop, owned by <see cref="StartAsync"/> and <see cref="StopAsync"/>.</remarks>
public sealed partial class WorkerPool : IAsyncDisposable
{
    private readonly Channel<object> signals = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IWorkerProvider provider;
    private readonly Func<string, WorkerLaunch> launchFactory;
    private readonly WorkerPoolOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource loopCancellation = new();
    private Task loop = Task.CompletedTask;
    private int lifecycle; // 0 new, 1 started, 2 stopped
    private volatile int desired;
    private volatile PoolState state = PoolState.Healthy;
    private volatile IReadOnlyList<WorkerHandle> workers = [];
    private int restarts;

    /// <summary>Creates a pool with no workers desired; call <see cref="SetDesired"/> and <see cref="StartAsync"/>.</summary>
    /// <param name="endpoint">The endpoint whose workers this pool runs; worker ids are <c>{endpoint}-{shortrandom}</c>.</param>
    /// <param name="provider">Starts and stops the processes.</param>
    /// <param name="launchFactory">Builds the launch of a worker from its id.</param>
    /// <param name="options">The restart policy; default: <see cref="WorkerPoolOptions"/> defaults.</param>
    /// <param name="timeProvider">The clock for backoff and uptime; default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Receives starts, crashes and health changes.</param>
    public WorkerPool(
        string endpoint,
        IWorkerProvider provider,
        Func<string, WorkerLaunch> launchFactory,
        WorkerPoolOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<WorkerPool>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        Endpoint = endpoint;
        this.provider = provider ?? throw new ArgumentNullException(nameof(provider));
        this.launchFactory = launchFactory ?? throw new ArgumentNullException(nameof(launchFactory));
        this.options = options ?? new WorkerPoolOptions();
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<WorkerPool>.Instance;
    }

    /// <summary>Raised on the pool's loop when a worker could not be launched (no process exists for it).</summary>
    public event EventHandler<string>? LaunchFailed;

    /// <summary>Raised on the pool's loop after each worker it started, restarts included.</summary>
    public event EventHandler<WorkerHandle>? WorkerStarted;

    /// <summary>The endpoint whose workers this pool runs.</summary>
    public string Endpoint { get; }

    /// <summary>How many workers the pool keeps running.</summary>
    public int Desired => desired;

    /// <summary>Healthy, or unhealthy with the reason (exit code and last stderr lines of the last crash).</summary>
    public PoolState State => state;

    /// <summary>The pool's running workers.</summary>
    public IReadOnlyList<WorkerHandle> Workers => workers;

    /// <summary>How many workers were started to replace one that exited on its own.</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>Sets how many workers to keep running; the pool starts or stops workers to match.</summary>
    /// <param name="count">The desired worker count, zero or more.</param>
    public void SetDesired(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        desired = count;
        signals.Writer.TryWrite(Signal.DesiredChanged);
    }

    /// <summary>Stops this particular worker (drained, like any scale-down) and lowers the desired count by one.</summary>
    /// <param name="workerId">A worker of this pool; unknown ids are ignored.</param>
    public void Retire(string workerId) => signals.Writer.TryWrite(new RetireRequest(workerId, Replace: false));

    /// <summary>Kills this particular worker at once (no drain) and starts a replacement: for a worker stuck on a job it was told to stop.</summary>
    /// <param name="workerId">A worker of this pool; unknown ids are ignored.</param>
    public void Replace(string workerId) => signals.Writer.TryWrite(new RetireRequest(workerId, Replace: true));

    /// <summary>Starts the pool's loop, which starts the desired workers.</summary>
    /// <param name="cancellationToken">Unused; the loop runs until <see cref="StopAsync"/>.</param>
    /// <returns>A completed task.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref lifecycle, 1, 0) != 0)
        {
            throw new InvalidOperationException($"The worker pool of endpoint '{Endpoint}' was already started.");
        }

        provider.Exited += OnProviderExited;
        loop = RunAsync(loopCancellation.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop, then stops every worker of the pool with <see cref="WorkerPoolOptions.StopDrain"/>.</summary>
    /// <param name="cancellationToken">Cuts the workers' drain short; they are killed at once.</param>
    /// <returns>Completes when none of the pool's workers is left.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref lifecycle, 2) != 1)
        {
            return;
        }

        provider.Exited -= OnProviderExited;
        await loopCancellation.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        wakeTimer?.Dispose();
        var stops = running.Keys.Select(id => provider.StopAsync(id, options.StopDrain, cancellationToken)).Concat(stopping).ToArray();
        running.Clear();
        handles.Clear();
        Publish();
        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    /// <summary>Stops the pool and its workers, like <see cref="StopAsync"/>.</summary>
    /// <returns>Completes when none of the pool's workers is left.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        loopCancellation.Dispose();
    }

    private void OnProviderExited(object? sender, WorkerExited exit)
    {
        if (exit.Endpoint == Endpoint)
        {
            signals.Writer.TryWrite(exit);
        }
    }

    private enum Signal
    {
        DesiredChanged,
        Wake,
    }
}
