using Hearth.Store;
using Hearth.Store.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Audit;

/// <summary>
/// Records what an operator must be able to look back on — key changes, purges, admin sign-ins, bursts of failed
/// authentication, refused webhook targets — twice: as a structured log event (an OpenTelemetry log record when OTLP
/// export is on) and in the store's audit log that <c>GET /api/audit</c> pages. A store that cannot take the entry
/// does not undo the action; the log event still has it.
/// </summary>
public sealed partial class Auditor(AuditLog log, TimeProvider time, ILogger<Auditor> logger)
{
    /// <summary>Records one action; <paramref name="http"/> gives the caller's address.</summary>
    public async Task RecordAsync(string action, string actor, HttpContext? http, string? target, string? detail,
        CancellationToken cancellationToken = default)
    {
        var source = http?.Connection.RemoteIpAddress?.ToString();
        LogAudit(logger, action, actor, source, target, detail);
        try
        {
            await log.AppendAsync(new AuditEntry(0, time.GetUtcNow().ToUnixTimeMilliseconds(), action, actor, source,
                target, detail), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFaults.IsStoreFailure(e))
        {
            LogNotStored(logger, action, e);
        }
    }

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message =
        "Audit: {Action} by {Actor} from {Source} on {Target} ({Detail})")]
    private static partial void LogAudit(
        ILogger logger, string action, string actor, string? source, string? target, string? detail);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The audit entry for {Action} could not be stored (the log event above has it).")]
    private static partial void LogNotStored(ILogger logger, string action, Exception exception);
}
