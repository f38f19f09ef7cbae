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

    private async Task<CompleteResult> CompleteAsync(string endpoint, JobCompletion completion, CancellationToken ct)
    {
        var job = await _inner.GetAsync(endpoint, completion.JobId, ct);
        if (job is { Status: "IN_PROGRESS", WorkerId: { } holder } && (holder != completion.WorkerId || (completion.Attempt is { } a && a != job.Attempt)))
        {
            Interlocked.Increment(ref Unfenced);
            completion = completion with { WorkerId = holder, Attempt = job.Attempt };
        }

        return await _inner.CompleteAsync(endpoint, completion, ct);
    }
}
