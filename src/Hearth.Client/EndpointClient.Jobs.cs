using System.Runtime.CompilerServices;
using Hearth.Client.Wire;
using Hearth.Core.Jobs;
using Hearth.Core.Wire;

namespace Hearth.Client;

public sealed partial class EndpointClient
{
    /// <summary>Pause between <c>/stream</c> polls that brought nothing: Hearth already holds such a poll up to 1 s,
    /// Runpod answers at once.</summary>
    public static readonly TimeSpan StreamPollPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Yields a streaming job's chunks in order as they arrive, polling <c>GET /stream/{id}</c> until the job is final.
    /// Each chunk is read only once by the server: two readers of the same job split the chunks between them.
    /// </summary>
    /// <typeparam name="TChunk">The type of each chunk's <c>output</c>.</typeparam>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Stops the enumeration; does not cancel the job.</param>
    /// <returns>The chunks; the sequence ends when the job is final. Check its status afterwards to learn whether it
    /// COMPLETED.</returns>
    public async IAsyncEnumerable<TChunk> StreamAsync<TChunk>(
        string id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var path = _path + ApiRoutes.Stream + "/" + Uri.EscapeDataString(id);
        var typeInfo = WireMapping.TypeInfo<TChunk>(_transport.Options);
        while (true)
        {
            var wire = await _transport.GetAsync(path,
                ClientJsonContext.Default.StreamWire, cancellationToken).ConfigureAwait(false);
            var chunks = wire.Stream ?? [];
            foreach (var chunk in chunks)
            {
                yield return WireMapping.Read(chunk.Output, typeInfo)!;
            }

            if (JobStatus.IsFinal(wire.Status))
            {
                yield break;
            }

            if (chunks.Count == 0)
            {
                await Task.Delay(StreamPollPause, _transport.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Cancels a queued or running job (<c>POST /cancel/{id}</c>); a final job keeps its state.</summary>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Cancels the HTTP call.</param>
    /// <returns>The job's id and status after the call (CANCELLED, or the final state it already had).</returns>
    public async Task<JobHandle> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        var wire = await _transport.PostAsync(_path + ApiRoutes.Cancel + "/" + Uri.EscapeDataString(id), null,
            ClientJsonContext.Default.StatusWire, cancellationToken).ConfigureAwait(false);
        return WireMapping.Handle(wire);
    }

    /// <summary>Queues a FAILED or TIMED_OUT job again with the same id and input (<c>POST /retry/{id}</c>); other
    /// states answer 409.</summary>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Cancels the HTTP call.</param>
    /// <returns>The job's id and status (IN_QUEUE).</returns>
    public async Task<JobHandle> RetryAsync(string id, CancellationToken cancellationToken = default)
    {
        var wire = await _transport.PostAsync(_path + ApiRoutes.Retry + "/" + Uri.EscapeDataString(id), null,
            ClientJsonContext.Default.StatusWire, cancellationToken).ConfigureAwait(false);
        return WireMapping.Handle(wire);
    }

    /// <summary>Drops every queued job of the endpoint (<c>POST /purge-queue</c>); running jobs are
    /// untouched.</summary>
    /// <param name="cancellationToken">Cancels the HTTP call.</param>
    /// <returns>How many jobs were removed.</returns>
    public async Task<long> PurgeQueueAsync(CancellationToken cancellationToken = default)
    {
        var wire = await _transport.PostAsync(_path + ApiRoutes.PurgeQueue, null,
            ClientJsonContext.Default.PurgeWire, cancellationToken).ConfigureAwait(false);
        return wire.Removed;
    }

    /// <summary>Reads the endpoint's job and worker counters (<c>GET /health</c>).</summary>
    /// <param name="cancellationToken">Cancels the HTTP call.</param>
    /// <returns>The counters; a counter the server left out reads 0.</returns>
    public async Task<EndpointHealth> HealthAsync(CancellationToken cancellationToken = default)
    {
        var wire = await _transport.GetAsync(_path + ApiRoutes.Health,
            ClientJsonContext.Default.HealthWire, cancellationToken).ConfigureAwait(false);
        return WireMapping.Health(wire);
    }
}
