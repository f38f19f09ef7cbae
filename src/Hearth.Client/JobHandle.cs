namespace Hearth.Client;

/// <summary>A job's id and its state as one call saw it: the answer of <c>/run</c>, <c>/cancel</c> and
/// <c>/retry</c>.</summary>
/// <param name="Id">The server's opaque job id.</param>
/// <param name="Status">One of the <see cref="Hearth.Core.Jobs.JobStatus"/> constants.</param>
public sealed record JobHandle(string Id, string Status);
