using System.Reflection;
using System.Runtime.ExceptionServices;
using Hearth.Store;
using Hearth.Store.Jobs;

namespace Hearth.Soak.Tests.Soak;

/// <summary>
/// A deliberately broken build: the store with the lease fencing check of <c>done.lua</c> taken out. A result posted
/// for a running job completes it whoever posts it — a worker whose lease expired, a paused zombie, an earlier
/// attempt — exactly as done.lua would without <c>holder_state</c>. Everything else is the real store (a proxy, so
/// it follows the store's interface as it changes).
/// </summary>
public class FencelessStore : DispatchProxy
{
    private IHearthStore _inner = null!;

    /// <summary>Completions the real store would have refused and this one let through.</summary>
    public static int Unfenced;

    public static IHearthStore Wrap(IHearthStore inner)
    {
        var store = Create<IHearthStore, FencelessStore>();
        ((FencelessStore)(object)store)._inner = inner;
        return store;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ILeaseStore.CompleteAsync) && args is [string endpoint, JobCompletion completion, CancellationToken ct])
        {
            return CompleteAsync(endpoint, completion, ct);
        }

        if (targetMethod.Name == nameof(ILeaseStore.CompleteAllAsync)
            && args is [string ep, string workerId, IReadOnlyList<JobCompletion> completions, int takeMax, long nowMs,
                long leaseMs, CancellationToken token])
        {
            return CompleteAllAsync(ep, workerId, completions, takeMax, nowMs, leaseMs, token);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private async Task<CompleteResult> CompleteAsync(string endpoint, JobCompletion completion, CancellationToken ct) =>
        await _inner.CompleteAsync(endpoint, await UnfencedAsync(endpoint, completion, ct) ?? completion, ct);

    /// <summary>The completion as the current holder's when the real store would refuse it (counted), else null.</summary>
    private async Task<JobCompletion?> UnfencedAsync(string endpoint, JobCompletion completion, CancellationToken ct)
    {
        var job = await _inner.GetAsync(endpoint, completion.JobId, ct);
        if (job is { Status: "IN_PROGRESS", WorkerId: { } holder } && (holder != completion.WorkerId || (completion.Attempt is { } a && a != job.Attempt)))
        {
            Interlocked.Increment(ref Unfenced);
            return completion with { WorkerId = holder, Attempt = job.Attempt };
        }

        return null;
    }

    /// <summary>A worker's results and its next jobs: the ones the real store would refuse are completed as their
    /// holder's, one by one; the rest, and the take, go through the real call.</summary>
    private async Task<CompletedAndTaken> CompleteAllAsync(string endpoint, string workerId,
        IReadOnlyList<JobCompletion> completions, int takeMax, long nowMs, long leaseMs, CancellationToken ct)
    {
        var results = new CompleteResult?[completions.Count];
        var fenced = new List<int>();
        for (var i = 0; i < completions.Count; i++)
        {
            if (await UnfencedAsync(endpoint, completions[i], ct) is { } unfenced)
            {
                results[i] = await _inner.CompleteAsync(endpoint, unfenced, ct);
            }
            else
            {
                fenced.Add(i);
            }
        }

        if (fenced.Count == 0)
        {
            var taken = await _inner.TakeAsync(endpoint, workerId, takeMax, nowMs, leaseMs, ct);
            return new CompletedAndTaken([.. results.Select(r => r!)], taken as TakenJobs ?? [.. taken]);
        }

        var rest = await _inner.CompleteAllAsync(endpoint, workerId, [.. fenced.Select(i => completions[i])], takeMax,
            nowMs, leaseMs, ct);
        for (var k = 0; k < fenced.Count; k++)
        {
            results[fenced[k]] = rest.Results[k];
        }

        return new CompletedAndTaken([.. results.Select(r => r!)], rest.Taken);
    }
}
