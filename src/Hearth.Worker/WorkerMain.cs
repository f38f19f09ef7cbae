using Microsoft.Extensions.Logging;

namespace Hearth.Worker;

/// <summary>
/// A process that is one worker: the entry point of a worker-only app (<c>return await
/// WorkerMain.RunAsync(handler);</c>), e.g. one published with Native AOT and run by a control plane as an endpoint's
/// <c>command</c>. It reads the Runpod variables (<see cref="WorkerOptions.FromEnvironment()"/>), prints
/// <c>worker ID ready</c> when its first take is answered (the line <c>hearth dev</c> waits for), logs warnings as
/// one line each on stderr, and drains on SIGTERM or Ctrl-C. No generic host, no reflection: the shortest start.
/// </summary>
public static class WorkerMain
{
    /// <summary>Runs <paramref name="handler"/> until SIGTERM, SIGINT or
    /// <paramref name="cancellationToken"/>.</summary>
    /// <param name="handler">The endpoint's handler.</param>
    /// <param name="cancellationToken">Stops the worker (it drains first).</param>
    /// <returns>The process exit code: 0 after a drain, 2 when the environment names no usable control plane.</returns>
    public static Task<int> RunAsync(JobHandler handler, CancellationToken cancellationToken = default) =>
        RunAsync(handler, null, cancellationToken);

    /// <summary>Runs the worker; <paramref name="endpoint"/> names it in a start-up error.</summary>
    internal static async Task<int> RunAsync(JobHandler handler, string? endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        StartupTrace.AppStarted(TimeProvider.System);
        var options = WorkerOptions.FromEnvironment();
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            var who = endpoint is null ? "worker" : $"worker for '{endpoint}'";
            await Console.Error.WriteLineAsync($"{who} cannot start:\n  " + string.Join("\n  ", problems))
                .ConfigureAwait(false);
            return 2;
        }

        using var signal = new ShutdownSignal(cancellationToken);
        using var worker = new HearthWorker(handler, options, TimeProvider.System,
            new LineLogger<HearthWorker>(LogLevel.Warning, Console.Error));

        // The line dev waits for (the same one the Python sample worker prints).
        worker.Ready += (_, _) => Console.Out.WriteLine($"worker {worker.WorkerId} ready");
        await worker.RunAsync(signal.Token).ConfigureAwait(false);
        return 0;
    }
}
