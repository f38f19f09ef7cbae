namespace Hearth.Client;

/// <summary>One item of a <c>/runbatch</c>: the job it queued, or why it was refused.</summary>
/// <param name="Job">The queued job; null when the item was refused.</param>
/// <param name="Replayed">True when the item's idempotency key named a job queued before (that job is
/// returned).</param>
/// <param name="Error">Why the item was refused; null when queued.</param>
/// <param name="Hint">What to change.</param>
public sealed record BatchItemResult(JobHandle? Job, bool Replayed, string? Error, string? Hint);
