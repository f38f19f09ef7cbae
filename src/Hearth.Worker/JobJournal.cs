using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearth.Worker.Tracing;

namespace Hearth.Worker;

/// <summary>
/// The session journal behind <c>ctx.StepAsync</c>: read once per job, a step whose result is journaled returns it
/// without running; a new step runs, then is journaled (fenced by the job's lease) before the handler goes on.
/// On a control plane without journals (plain Runpod), steps simply run.
/// </summary>
internal sealed class JobJournal(WorkerProtocol protocol, string jobId, int maxSteps = JobJournal.DefaultMaxSteps,
    int maxRepeats = JobJournal.DefaultMaxRepeats, Func<bool>? leaseHeld = null)
{
    /// <summary>Default ceiling on steps per job (<c>HEARTH_MAX_STEPS</c>): 200.</summary>
    public const int DefaultMaxSteps = 200;

    /// <summary>Default number of times one step may produce the same output in a row before the job is failed as a
    /// loop: 5.</summary>
    public const int DefaultMaxRepeats = 5;

    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private int _steps;
    private string? _lastName;
    private string? _lastOutput;
    private int _repeats;
    private readonly SemaphoreSlim _load = new(1, 1);
    private Dictionary<string, JsonElement>? _journal;
    private bool _loaded;

    /// <summary>Steps that returned their journaled result in this attempt.</summary>
    public int Replayed { get; private set; }

    /// <summary>True once the journal was found to hold results of an earlier attempt or job of the session.</summary>
    public bool Rehydrated { get; private set; }

    public async Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> run, JsonTypeInfo<T> json,
        CancellationToken cancellationToken)
    {
        string key;
        lock (_seen)
        {
            if (++_steps > maxSteps)
            {
                throw new LoopDetectedException(
                    $"loop_detected: the job ran more than {maxSteps} steps (max_steps); last step '{name}'");
            }

            // A name repeated within one job gets an index: web-retrieval, web-retrieval[2], ...
            var n = _seen[name] = _seen.GetValueOrDefault(name) + 1;
            key = n == 1 ? name : $"{name}[{n}]";
        }

        using var span = WorkerSpans.StartStep(name, key, jobId);
        var steps = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (steps is not null && steps.TryGetValue(key, out var journaled))
        {
            Replayed++;
            span?.SetTag("hearth.replayed", true);
            return journaled.Deserialize<T>(json)!;
        }

        // A worker that was paused or cut off past its lease may find another attempt has run this step meanwhile:
        // it starts no step of a job it may no longer hold.
        if (leaseHeld?.Invoke() == false)
        {
            throw new JobLeaseLostException($"Step '{key}' of job {jobId} was not started: this worker's lease was "
                + "not renewed for a whole lease, so another worker may hold the job now.");
        }

        var result = await WorkerSpans.TrackAsync(span, run(cancellationToken)).ConfigureAwait(false);
        var output = JsonSerializer.Serialize(result, json);
        SessionState.CheckSize(output, $"the result of step '{key}'");
        lock (_seen)
        {
            // An agent stuck in a reasoning loop asks the same thing and gets the same answer again and again.
            _repeats = _lastName == name && _lastOutput == output ? _repeats + 1 : 1;
            (_lastName, _lastOutput) = (name, output);
            if (_repeats >= maxRepeats)
            {
                throw new LoopDetectedException(
                    $"loop_detected: step '{name}' produced the same output {_repeats} times in a row");
            }
        }

        if (steps is not null)
        {
            await protocol.PutStepAsync(jobId, key, output, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<Dictionary<string, JsonElement>?> LoadAsync(CancellationToken cancellationToken)
    {
        await _load.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_loaded)
            {
                _journal = await protocol.GetStepsAsync(jobId, cancellationToken).ConfigureAwait(false);
                Rehydrated = _journal is { Count: > 0 };
                _loaded = true;
            }

            return _journal;
        }
        finally
        {
            _load.Release();
        }
    }
}

/// <summary>A guard stopped a runaway agent: too many steps, or one step repeating itself. The job fails with this
/// message.</summary>
public sealed class LoopDetectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LoopDetectedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LoopDetectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LoopDetectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The control plane gave this job to another worker; whatever this worker computes for it is
/// refused.</summary>
public sealed class JobLeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobLeaseLostException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobLeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
