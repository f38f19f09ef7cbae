using System.Collections.Concurrent;
using System.Text.Json;
using Hearth.Worker.Tracing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Hearth.Worker;

/// <summary>
/// A worker: pulls jobs from its control plane, runs them with the handler, reports results, heartbeats its leases and
/// obeys stop signals. A <see cref="BackgroundService"/> for hosts, and runnable without one through
/// <see cref="RunAsync"/>.
/// <para>Shutdown drains: it stops taking at once, lets in-flight jobs finish within
/// <see cref="WorkerOptions.DrainWindow"/>, then cancels and hands back the rest (re-granted at once by Hearth, or
/// after the lease by other control planes). Set the host's <c>ShutdownTimeout</c> above the drain window, or the host
/// ends the drain early.</para>
/// </summary>
public sealed partial class HearthWorker : BackgroundService
{
    private readonly JobHandler _handler;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly WorkerProtocol _protocol;
    private readonly JobCalls _calls;
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly SpanReporter _spans;
    private readonly StartupTrace _startup;
    private readonly TaskCompletionSource _firstTakeAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResiliencePipeline _takeRetry;
    private readonly Lazy<ResiliencePipeline> _stopRetry;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    // True while the take loop runs: only then may a result post take the next job (not while draining).
    private bool _taking;

    /// <summary>Creates a worker.</summary>
    public HearthWorker(JobHandler handler, WorkerOptions options, TimeProvider? timeProvider = null,
        ILogger<HearthWorker>? logger = null, HttpMessageHandler? httpHandler = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The worker cannot start: " + string.Join(" ", problems));
        }

        _handler = handler;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<HearthWorker>.Instance;
        _http = new HttpClient(
            httpHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            disposeHandler: true)
        {
            // Takes and stop polls are long-polls of up to ~20 s; runpod-python allows 90 s.
            Timeout = TimeSpan.FromSeconds(90),
        };
        _protocol = new WorkerProtocol(_http, options, ControlPlaneRetry.Build(_time, _logger,
            "A call of a running job (journal, session state or stream)", TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(2)));
        _calls = new JobCalls(_http, options, _time);
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        _spans = new SpanReporter(options.WorkerId);
        _startup = new StartupTrace(_time, options.WorkerId);
        _takeRetry = ControlPlaneRetry.Build(_time, _logger, "Taking a job", FirstRetry, LongestRetry);
        // Built when the stop loop starts (after the first take): not on a cold start's path.
        _stopRetry = new(() => ControlPlaneRetry.Build(_time, _logger, "Polling for stop orders", FirstRetry,
            LongestRetry));
    }

    /// <summary>This worker's id.</summary>
    public string WorkerId => _options.WorkerId;

    /// <summary>Ids of the jobs running now.</summary>
    public IReadOnlyCollection<string> RunningJobs => [.. _running.Keys];

    /// <summary>Raised once, when the worker asks for its first job (it is warm).</summary>
    public event EventHandler? Ready;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires, then drains and returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Heartbeats and stop signals outlive the take loop: a draining worker must keep its leases and still hear a
        // cancel or a timeout until its last job is done or handed back.
        using var background = new CancellationTokenSource();
        var side = new List<Task> { HeartbeatLoopAsync(background.Token), SpanLoopAsync(background.Token) };
        if (_protocol.HasStopChannel)
        {
            side.Add(StopLoopAsync(background.Token));
        }

        if (_options.ParentProcessId is { } parent)
        {
            side.Add(WatchParentAsync(parent, lifetime));
        }

        LogStarted(_logger, WorkerId, _options.Concurrency);
        try
        {
            Volatile.Write(ref _taking, true);
            await TakeLoopAsync(lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _taking, false);
            await DrainAsync().ConfigureAwait(false);
            await lifetime.CancelAsync().ConfigureAwait(false);
            await background.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(side).ConfigureAwait(false);
            await FlushSpansAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task TakeLoopAsync(CancellationToken cancellationToken)
    {
        var announced = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var free = 1;
                while (free < _options.Concurrency && _slots.Wait(0))
                {
                    free++;
                }

                if (!announced)
                {
                    announced = true;
                    Ready?.Invoke(this, EventArgs.Empty);
                }

                IReadOnlyList<JsonElement> jobs = [];
                try
                {
                    // Backs off while the control plane is unreachable or refuses: never a tight loop of takes.
                    _startup.TakeSent();
                    jobs = await _takeRetry.ExecuteAsync(async token =>
                    {
                        try
                        {
                            return await _protocol.TakeAsync(free, !_running.IsEmpty, token).ConfigureAwait(false);
                        }
                        finally
                        {
                            // The stop loop starts once the first take was answered (or failed).
                            _firstTakeAnswered.TrySetResult();
                        }
                    }, cancellationToken).ConfigureAwait(false);
                    _startup.Taken(jobs.Count);
                }
                finally
                {
                    // Give back the slots no job arrived for.
                    if (free - jobs.Count > 0)
                    {
                        _slots.Release(free - jobs.Count);
                    }
                }

                foreach (var job in jobs)
                {
                    Start(job);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _http.Dispose();
        _slots.Dispose();
        _spans.Dispose();
    }
}
