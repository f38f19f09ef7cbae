namespace Hearth.Scaling.Processes;

/// <summary>Starts and stops worker processes; the app host and the autoscaler drive workers through it.</summary>
public interface IWorkerProvider
{
    /// <summary>The workers started and not yet exited.</summary>
    IReadOnlyList<WorkerHandle> Workers { get; }

    /// <summary>Raised once per worker when its process has ended, whether asked to or not.</summary>
    event EventHandler<WorkerExited>? Exited;

    /// <summary>Starts a worker.</summary>
    /// <param name="launch">What to run.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started worker.</returns>
    Task<WorkerHandle> StartAsync(WorkerLaunch launch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks a worker to stop (SIGTERM), waits up to <paramref name="drain"/> for it to exit, then kills its whole
    /// process tree. Completes after <see cref="Exited"/> was raised; an unknown or already exited worker is a no-op.
    /// </summary>
    /// <param name="workerId">The worker to stop.</param>
    /// <param name="drain">How long the worker may take to finish its jobs and exit.</param>
    /// <param name="cancellationToken">Cuts the drain short; the worker is then killed at once.</param>
    Task StopAsync(string workerId, TimeSpan drain, CancellationToken cancellationToken = default);
}
