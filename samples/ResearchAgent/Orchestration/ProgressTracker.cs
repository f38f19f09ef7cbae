using Hearth.Worker;

namespace ResearchAgent.Orchestration;

/// <summary>
/// Runs the orchestrator's journaled steps and reports each one's state through <c>ctx.ReportProgressAsync</c>, so
/// <c>/status</c> (and the demo's terminal) shows the pipeline live; a step that returns its journaled result is
/// marked <c>replayed</c>.
/// </summary>
internal sealed class ProgressTracker(JobContext context, TimeProvider time)
{
    private readonly List<StepTiming> _steps = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The steps so far, in the order they started.</summary>
    public IReadOnlyList<StepTiming> Steps
    {
        get
        {
            lock (_steps)
            {
                return [.. _steps];
            }
        }
    }

    /// <summary>Runs <paramref name="run"/> as the journaled step <paramref name="name"/>; <paramref name="note"/> describes its result in the progress.</summary>
    public async Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken, Func<T, string?>? note = null)
    {
        var started = time.GetTimestamp();
        var ran = false;
        await SetAsync(new StepTiming(name, "running", 0), cancellationToken).ConfigureAwait(false);
        var result = await context.StepAsync(name, t =>
        {
            ran = true;
            return run(t);
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var ms = (long)time.GetElapsedTime(started).TotalMilliseconds;
        await SetAsync(new StepTiming(name, ran ? "done" : "replayed", ms, note?.Invoke(result)), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Adds a note to a running step (e.g. "waiting to be killed") and reports it.</summary>
    public Task NoteAsync(string name, string text, CancellationToken cancellationToken) =>
        SetAsync(new StepTiming(name, "running", 0, text), cancellationToken);

    private async Task SetAsync(StepTiming step, CancellationToken cancellationToken)
    {
        IReadOnlyList<StepTiming> snapshot;
        lock (_steps)
        {
            var i = _steps.FindIndex(s => s.Name == step.Name);
            if (i >= 0)
            {
                _steps[i] = step;
            }
            else
            {
                _steps.Add(step);
            }

            snapshot = [.. _steps];
        }

        // One report at a time, so /status never goes back to an older snapshot.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await context.ReportProgressAsync(new ResearchProgress(context.Attempt, context.WorkerId, snapshot), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
