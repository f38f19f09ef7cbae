using System.Globalization;
using Hearth.Server.Api;
using Hearth.Store.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Admin;

/// <summary>
/// <c>GET /api/audit?limit=N&amp;before=SEQ</c> (admin only): the audit log, newest first, in pages; the answer's
/// <c>next</c> is the <c>before</c> of the following page (null on the last).
/// </summary>
internal static class AuditRoutes
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/audit", PageAsync);

    private static async Task<IResult> PageAsync(HttpContext http, AuditLog log)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        var query = http.Request.Query;
        var limit = DefaultLimit;
        long? before = null;
        if ((query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture,
                out limit) || limit is < 1 or > MaxLimit))
            || (query.TryGetValue("before", out var b) && !(long.TryParse(b, NumberStyles.None,
                CultureInfo.InvariantCulture, out var seq) && (before = seq) > 0)))
        {
            return ApiResults.Error(400, $"'limit' must be 1 to {MaxLimit} and 'before' a positive sequence number.",
                "GET /api/audit?limit=100 for the newest entries, then ?before=<next> for older ones.");
        }

        var entries = await log.PageAsync(before, limit, http.RequestAborted);
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("entries");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteNumber("seq", e.Seq);
                w.WriteString("at", AdminAnswers.Iso(e.AtMs));
                w.WriteString("action", e.Action);
                w.WriteString("actor", e.Actor);
                w.WriteString("source", e.Source);
                w.WriteString("target", e.Target);
                w.WriteString("detail", e.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (entries.Count == limit && entries[^1].Seq > 1)
            {
                w.WriteNumber("next", entries[^1].Seq);
            }
            else
            {
                w.WriteNull("next");
            }

            w.WriteEndObject();
        });
    }
}
