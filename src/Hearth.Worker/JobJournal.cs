using System.Text.Json;

namespace Hearth.Worker;

/// <summary>
/// The session journal behind <c>ctx.StepAsync</c>: read once per job, a step whose result is journaled returns it
/// without running; a new step runs, then is journaled (fenced by the job's lease) before the handler goes on.
/// On a control plane without journals (plain Runpod), steps simply run.
/// </summary>
internal sealed class JobJournal(WorkerProtocol protocol, string jobId)
{
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _load = new(1, 1);
    private Dictionary<string, JsonElement>? _steps;
    private bool _loaded;

    /// <summary>Steps that returned their journaled result in this attempt.</summary>
    public int Replayed { get; private set; }

    public async Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> run, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        string key;
        lock (_seen)
        {
            // A name repeated within one job gets an index: web-retrieval, web-retrieval[2], ...
            var n = _seen[name] = _seen.GetValueOrDefault(name) + 1;
            key = n == 1 ? name : $"{name}[{n}]";
        }

        var steps = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (steps is not null && steps.TryGetValue(key, out var journaled))
        {
            Replayed++;
            return journaled.Deserialize<T>(json)!;
        }

        var result = await run(cancellationToken).ConfigureAwait(false);
        if (steps is not null)
        {
            await protocol.PutStepAsync(jobId, key, JsonSerializer.Serialize(result, json), cancellationToken).ConfigureAwait(false);
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
                _steps = await protocol.GetStepsAsync(jobId, cancellationToken).ConfigureAwait(false);
                _loaded = true;
            }

            return _steps;
        }
        finally
        {
            _load.Release();
        }
    }
}

/// <summary>The control plane gave this job to another worker; whatever this worker computes for it is refused.</summary>
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
