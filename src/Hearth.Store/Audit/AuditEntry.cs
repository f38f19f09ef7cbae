namespace Hearth.Store.Audit;

/// <summary>
/// One line of the audit log: who did what to what, from where. <see cref="Seq"/> orders entries across replicas and
/// pages the log.
/// </summary>
/// <param name="Seq">Sequence number (grows by one per entry, cluster-wide; 0 before it is stored).</param>
/// <param name="AtMs">When (Unix ms).</param>
/// <param name="Action">What happened, e.g. <c>key.create</c>, <c>key.revoke</c>, <c>queue.purge</c>,
/// <c>auth.failures</c>, <c>webhook.refused</c>.</param>
/// <param name="Actor">Who: a stored key's id, <c>admin</c>, <c>dashboard</c>, a configured key's kind, or
/// <c>anonymous</c>.</param>
/// <param name="Source">The caller's address, when there was a request.</param>
/// <param name="Target">What it was done to: a key id, an endpoint, a job id, a URL's host.</param>
/// <param name="Detail">Anything else a reader needs (counts, reasons).</param>
public sealed record AuditEntry(
    long Seq, long AtMs, string Action, string Actor, string? Source, string? Target, string? Detail);
