using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hearth.Core.Wire;
using Hearth.Scaling.Processes;
using Hearth.Worker;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Hosting;

/// <summary>
/// The worker side of <c>protocol: push</c>: runs the endpoint's <c>command:</c> (a runpod-python worker) as a child
/// with <c>RUNPOD_REALTIME_PORT</c> set, so the SDK serves <c>POST /{endpoint}/realtime</c> instead of pulling, and
/// pulls for it as an ordinary <see cref="HearthWorker"/> whose handler forwards each job there. The control plane
/// sees a pull worker and keeps leases, timeouts and cancels. The SDK cannot stop one job, so a stop kills the
/// child's process group and starts a new child. A child that dies on its own is a worker that died: the bridge ends
/// at once without reporting the job it ran, so the scheduler, seeing the worker gone, runs the job again (or fails it
/// past the lost-worker cap, with the child's exit in its error) and restarts the worker.
/// </summary>
internal sealed partial class PushBridge : IAsyncDisposable
{
    /// <summary>How long a child may take until its realtime server answers. 120 s.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);
    private static readonly JsonElement NullOutput = JsonSerializer.SerializeToElement<object?>(null);

    /// <summary>
    /// Runs the command (<c>$2</c>) in place of this shell, with a watchdog beside it that kills the child's process
    /// group (its own, through <c>setsid</c>) once the bridge (<c>$1</c>) is gone: a bridge killed with SIGKILL (a
    /// runaway kill, a crash) cannot stop its child, and an orphaned runpod-python process would go on running its
    /// job. Where the child leads no group of its own, <c>kill -$$</c> finds none and does nothing.
    /// </summary>
    private const string Watchdog =
        "bridge=$1; shift; "
        + "( while kill -0 \"$bridge\" 2>/dev/null; do sleep 1; done; kill -KILL -$$ ) </dev/null >/dev/null 2>&1 & "
        + "exec /bin/sh -c \"$1\"";

    private readonly string _endpoint;
    private readonly string _command;
    private readonly string _workerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProcessProvider _processes;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, Child> _children = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<WorkerExited> _died =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private volatile Task<Child> _current = Task.FromException<Child>(new InvalidOperationException("not started"));
    private int _generation;

    private PushBridge(string endpoint, string command, string workerId, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        _command = command;
        _workerId = workerId;
        _time = time;
        _logger = logger;
        _processes = new ProcessProvider(
            new ProcessProviderOptions { OutputSink = (_, line) => Console.Out.WriteLine(line) }, time);
        _processes.Exited += OnExited;

        // uvicorn closes idle keep-alive connections after 5 s: never reuse one that old.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Runs the bridge for <paramref name="endpoint"/> until stopped or its child dies.</summary>
    /// <returns>0 after a stop; 1 when the child could not start; the child's exit code when it died on its own
    /// (its job is left to the control plane: nothing is reported for it).</returns>
    public static async Task<int> RunAsync(string endpoint, string command, CancellationToken cancellationToken)
    {
        var options = WorkerOptions.FromEnvironment();
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync($"push bridge for '{endpoint}' cannot start:\n  "
                + string.Join("\n  ", problems)).ConfigureAwait(false);
            return 2;
        }

        // The SDK must not pull as well (it would, without RUNPOD_REALTIME_PORT); its ping and progress posts
        // (RUNPOD_WEBHOOK_PING, RUNPOD_WEBHOOK_POST_OUTPUT) still reach the control plane under this worker's id.
        Environment.SetEnvironmentVariable(WorkerVariables.GetJob, null);
        Environment.SetEnvironmentVariable(WorkerVariables.BridgeCommand, null);
        Environment.SetEnvironmentVariable(WorkerVariables.Protocol, null);

        // One job at a time: a sync runpod-python handler serves one request at a time anyway.
        options.Concurrency = 1;
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning));
        using var signal = new ShutdownSignal(cancellationToken);
        await using var bridge = new PushBridge(endpoint, command, options.WorkerId, TimeProvider.System,
            loggers.CreateLogger<PushBridge>());
        return await bridge.RunAsync(options, loggers, signal.Token).ConfigureAwait(false);
    }

    private async Task<int> RunAsync(WorkerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Leaving (scale-down, dev stopping): a job stopped by the drain's end restarts no child.
        using var leaving = cancellationToken.Register(_lifetime.Cancel);
        _current = StartChildAsync(_lifetime.Token);
        try
        {
            await _current.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (PushWorkerException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }

        var handler = JobHandler.Create<JsonElement, JsonElement>((_, context, ct) => ForwardAsync(context, ct));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var worker = new HearthWorker(handler, options, _time, loggers.CreateLogger<HearthWorker>());
        worker.Ready += (_, _) => Console.Out.WriteLine($"worker {worker.WorkerId} ready");
        var run = worker.RunAsync(stop.Token);
        if (await Task.WhenAny(run, _died.Task).ConfigureAwait(false) == _died.Task)
        {
            // No drain: a drain would hand the running job back as if the worker had chosen to. This worker died
            // with its child; the job it held is the control plane's to run again, and its last line says why.
            var exit = await _died.Task.ConfigureAwait(false);
            Log.ChildDied(_logger, _endpoint, _workerId, exit.ExitCode);
            await Console.Error.WriteLineAsync(Describe(exit)).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Summary(exit)).ConfigureAwait(false);
            return exit.ExitCode is > 0 and < 256 ? exit.ExitCode : 1;
        }

        await run.ConfigureAwait(false);
        return 0;
    }

    /// <summary>Forwards one job to the child's realtime route and maps its answer (the SDK's job-done body).</summary>
    private async Task<JsonElement> ForwardAsync(JobContext context, CancellationToken cancellationToken)
    {
        var child = await _current.WaitAsync(cancellationToken).ConfigureAwait(false);
        var body = "{\"id\":" + JsonSerializer.Serialize(context.Id) + ",\"input\":"
            + (context.Input.ValueKind == JsonValueKind.Undefined ? "null" : context.Input.GetRawText()) + "}";
        string answer;
        HttpStatusCode status;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(child.Realtime, content, cancellationToken)
                .ConfigureAwait(false);
            status = response.StatusCode;
            answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop (cancel, timeout, lost lease, drain): the SDK cannot stop one job, so its process goes.
            Restart(child);
            throw;
        }
        catch (HttpRequestException e)
        {
            if (await ExitOfAsync(child).ConfigureAwait(false) is { Requested: false } && !child.Killed)
            {
                // The child died on its own mid-job: the bridge ends (RunAsync) and reports nothing for this job.
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
            }

            Restart(child);
            throw new PushWorkerException($"the worker's realtime server did not answer: {e.Message}", e);
        }

        if (status != HttpStatusCode.OK)
        {
            throw new PushWorkerException($"the worker's realtime server answered {(int)status}: {Trim(answer)}");
        }

        using var document = JsonDocument.Parse(answer);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
            && error.ValueKind != JsonValueKind.Null)
        {
            throw new PushWorkerException(
                error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText());
        }

        // The SDK answers {} when the handler's output was empty (None): the job completes with a null output.
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("output", out var output)
            ? output.Clone()
            : NullOutput;
    }

    /// <summary>Kills <paramref name="old"/>'s process group and starts the next child, unless the bridge is
    /// leaving.</summary>
    private void Restart(Child old)
    {
        var current = _current.IsCompletedSuccessfully ? _current.Result : null;
        if (_lifetime.IsCancellationRequested || !ReferenceEquals(current, old))
        {
            return;
        }

        Log.Restarting(_logger, _endpoint, _workerId);
        old.Killed = true;
        _current = ReplaceAsync(old, _lifetime.Token);
    }

    private async Task<Child> ReplaceAsync(Child old, CancellationToken cancellationToken)
    {
        await _processes.StopAsync(old.Id, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        await old.Exited.Task.WaitAsync(ExitWait, _time, cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartChildAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PushWorkerException e)
        {
            // The next job fails with this; the bridge leaves (and the scheduler restarts it, with backoff).
            _died.TrySetResult(new WorkerExited(old.Id, _endpoint, -1, [e.Message], Requested: false));
            throw;
        }
    }

    private async Task<Child> StartChildAsync(CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var id = $"{_workerId}-sdk{Interlocked.Increment(ref _generation).ToString(CultureInfo.InvariantCulture)}";
        var child = new Child(id, new Uri($"http://127.0.0.1:{port}/{_endpoint}/realtime"));
        _children[id] = child;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WorkerVariables.RealtimePort] = port.ToString(CultureInfo.InvariantCulture),
        };
        var bridge = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        string[] arguments = ["-c", Watchdog, "sh", bridge, _command];
        await _processes.StartAsync(new WorkerLaunch(id, _endpoint, "/bin/sh", arguments, env), cancellationToken)
            .ConfigureAwait(false);

        // Readiness: any HTTP answer (the SDK answers GET on its POST route with 405, running no handler).
        var deadline = _time.GetUtcNow() + ReadyTimeout;
        while (true)
        {
            if (child.Exited.Task.IsCompleted)
            {
                throw new PushWorkerException("the worker exited before its realtime server answered: "
                    + Describe(await child.Exited.Task.ConfigureAwait(false)));
            }

            if (_time.GetUtcNow() > deadline)
            {
                throw new PushWorkerException($"the worker's realtime server (RUNPOD_REALTIME_PORT={port}) did not "
                    + $"answer within {ReadyTimeout.TotalSeconds:0} s; is it a runpod-python worker (1.12 or later)?");
            }

            try
            {
                using var probe = await _http.GetAsync(child.Realtime, cancellationToken).ConfigureAwait(false);
                Log.ChildReady(_logger, _endpoint, _workerId, port);
                return child;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(ProbeInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The child's exit when it ended (waiting a bounded while for its output to be read), or null.</summary>
    private async Task<WorkerExited?> ExitOfAsync(Child child)
    {
        try
        {
            return await child.Exited.Task.WaitAsync(ExitWait, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private void OnExited(object? sender, WorkerExited e)
    {
        if (!_children.TryRemove(e.WorkerId, out var child))
        {
            return;
        }

        child.Exited.TrySetResult(e);
        if (!child.Killed && !e.Requested && !_lifetime.IsCancellationRequested)
        {
            _died.TrySetResult(e);
        }
    }

    private static string Describe(WorkerExited exit) =>
        $"the worker process exited with code {exit.ExitCode}"
        + (exit.LastStderrLines.Count > 0 ? ". Last output:\n" + string.Join('\n', exit.LastStderrLines) : ".");

    /// <summary>The bridge's last line, which the scheduler's log and a lost job's error quote: the child's.</summary>
    private static string Summary(WorkerExited exit) =>
        "runpod-python: " + (exit.LastStderrLines.Count > 0
            ? Trim(exit.LastStderrLines[^1])
            : $"exited with code {exit.ExitCode}");

    private static string Trim(string text) => text.Length > 500 ? text[..500] + "…" : text;

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _processes.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _lifetime.Dispose();
    }

    private sealed class Child(string id, Uri realtime)
    {
        public string Id { get; } = id;

        public Uri Realtime { get; } = realtime;

        public TaskCompletionSource<WorkerExited> Exited { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The bridge killed it (a stop): its exit is expected.</summary>
        public volatile bool Killed;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "{Endpoint}: worker {WorkerId} was stopped mid-job; restarting its runpod-python process")]
        public static partial void Restarting(ILogger logger, string endpoint, string workerId);

        [LoggerMessage(2, LogLevel.Information,
            "{Endpoint}: worker {WorkerId} realtime server ready on port {Port}")]
        public static partial void ChildReady(ILogger logger, string endpoint, string workerId, int port);

        [LoggerMessage(3, LogLevel.Error, "{Endpoint}: worker {WorkerId}'s process exited with code {ExitCode}")]
        public static partial void ChildDied(ILogger logger, string endpoint, string workerId, int exitCode);
    }
}

/// <summary>A push-mode job failed in the worker process, or the process did.</summary>
public sealed class PushWorkerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PushWorkerException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PushWorkerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PushWorkerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
