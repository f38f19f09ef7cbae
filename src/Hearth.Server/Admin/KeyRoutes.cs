using System.Security.Cryptography;
using System.Text.Json;
using Hearth.Server.Api;
using Hearth.Server.Audit;
using Hearth.Server.Auth;
using Hearth.Store.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Admin;

/// <summary>
/// Keys as data (admin only): <c>POST /api/keys</c> creates one and shows its secret once, <c>GET /api/keys</c> lists
/// them (never a secret or a hash), <c>DELETE /api/keys/{id}</c> revokes one, <c>POST /api/keys/{id}/rotate</c>
/// replaces one with the same scope and lets the old one work for a grace period. Every change is audited and applied
/// on this replica at once, on the others within <see cref="KeyRefresher.Interval"/>.
/// </summary>
internal static class KeyRoutes
{
    /// <summary>How long a rotated key keeps working when the request names no grace: 1 hour.</summary>
    public const long DefaultGraceSeconds = 3600;

    private const long MaxBody = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys");
        keys.AddEndpointFilter(async (context, next) =>
            await AdminAccess.DeniedAsync(context.HttpContext) is { } denied ? denied : await next(context));
        keys.MapPost(string.Empty, CreateAsync);
        keys.MapGet(string.Empty, ListAsync);
        keys.MapDelete("/{id}", RevokeAsync);
        keys.MapPost("/{id}/rotate", RotateAsync);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, KeyRegistry registry, KeyRing ring, KeyRefresher refresher, Auditor audit, TimeProvider time)
    {
        var (document, error) = await RequestBody.ReadJsonAsync(http, MaxBody, "key");
        if (error is not null)
        {
            return error;
        }

        using (document)
        {
            var (request, invalid) = KeyRequest.Parse(document!.RootElement);
            if (invalid is not null)
            {
                return invalid;
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var (fresh, secret) = New(request!.Kind, ring, now);
            var record = fresh with
            {
                Label = request.Label,
                Endpoints = request.Endpoints,
                Operations = request.Operations,
                Node = request.Node,
                ExpiresMs = now + (request.ExpiresInSeconds * 1000),
            };
            await registry.CreateAsync(record, http.RequestAborted);
            await refresher.RefreshAsync(http.RequestAborted);
            await audit.RecordAsync("key.create", AdminAccess.Actor(http), http, record.Id,
                Describe(record), CancellationToken.None);
            return Created(record, secret, previous: null);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, KeyRegistry registry)
    {
        var (_, keys) = await registry.LoadAsync(http.RequestAborted);
        var used = await registry.LastUsedAsync(http.RequestAborted);
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var k in keys)
            {
                Write(w, k, used.TryGetValue(k.Id, out var at) ? at : null);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> RevokeAsync(
        string id, HttpContext http, KeyRegistry registry, KeyRefresher refresher, Auditor audit)
    {
        var revoked = await registry.RevokeAsync(id, http.RequestAborted);
        if (revoked is null)
        {
            return NoSuchKey(id);
        }

        await refresher.RefreshAsync(http.RequestAborted);
        await audit.RecordAsync("key.revoke", AdminAccess.Actor(http), http, id, Describe(revoked),
            CancellationToken.None);
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteBoolean("revoked", true);
            w.WriteString("hint", $"Refused on every replica within {KeyRefresher.Interval.TotalSeconds:0} s.");
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> RotateAsync(string id, HttpContext http, KeyRegistry registry, KeyRing ring,
        KeyRefresher refresher, Auditor audit, TimeProvider time)
    {
        var (document, error) = await RequestBody.ReadJsonAsync(http, MaxBody, "rotation", allowEmpty: true);
        if (error is not null)
        {
            return error;
        }

        long grace;
        using (document)
        {
            var root = document!.RootElement;
            grace = DefaultGraceSeconds;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("graceSeconds", out var g)
                && (g.ValueKind != JsonValueKind.Number || !g.TryGetInt64(out grace) || grace is < 0 or > 30 * 86400))
            {
                return ApiResults.Error(400, "'graceSeconds' must be a whole number from 0 to 2592000 (30 days).",
                    "Send {\"graceSeconds\": 3600} to let the old key work one more hour, 0 to revoke it now.");
            }
        }

        var (_, keys) = await registry.LoadAsync(http.RequestAborted);
        if (keys.FirstOrDefault(k => k.Id == id) is not { } old)
        {
            return NoSuchKey(id);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (fresh, secret) = New(old.Kind, ring, now);
        fresh = fresh with
        {
            Label = old.Label, Endpoints = old.Endpoints, Operations = old.Operations, Node = old.Node,
            ExpiresMs = old.ExpiresMs is { } e ? now + Math.Max(e - old.CreatedMs, 1000) : null,
        };
        await registry.CreateAsync(fresh, http.RequestAborted);
        var until = now + (grace * 1000);
        var previous = old with { ExpiresMs = Math.Min(old.ExpiresMs ?? long.MaxValue, until) };
        _ = grace == 0
            ? await registry.RevokeAsync(id, http.RequestAborted) is not null
            : await registry.UpdateAsync(previous, http.RequestAborted);
        await refresher.RefreshAsync(http.RequestAborted);
        await audit.RecordAsync("key.rotate", AdminAccess.Actor(http), http, id,
            $"replaced by {fresh.Id}; the old key works until {AdminAnswers.Iso(until)}", CancellationToken.None);
        return Created(fresh, secret, previous);
    }

    /// <summary>A new record and its secret: random, prefixed by kind so secret scanners recognise it.</summary>
    private static (KeyRecord Record, string Secret) New(string kind, KeyRing ring, long nowMs)
    {
        var prefix = kind switch
        {
            KeyKinds.Client => "hk_",
            KeyKinds.Worker => "hw_",
            KeyKinds.Node => "hn_",
            _ => "hm_",
        };
        var secret = prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var hash = KeyRing.HashOf(secret);
        return ring.IsConfigured(hash)
            ? New(kind, ring, nowMs)
            : (new KeyRecord
            {
                Id = "key_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(),
                Kind = kind,
                Hash = hash,
                CreatedMs = nowMs,
            }, secret);
    }

    private static IResult Created(KeyRecord record, string secret, KeyRecord? previous) =>
        ApiResults.Json(StatusCodes.Status201Created, w =>
        {
            w.WriteStartObject();
            w.WriteString("key", secret);
            w.WriteString("note", "The key is shown once; store it now. Hearth keeps only its hash.");
            w.WritePropertyName("record");
            Write(w, record, lastUsedMs: null);
            if (previous is not null)
            {
                w.WritePropertyName("previous");
                Write(w, previous, lastUsedMs: null);
            }

            w.WriteEndObject();
        });

    private static void Write(Utf8JsonWriter w, KeyRecord k, long? lastUsedMs)
    {
        w.WriteStartObject();
        w.WriteString("id", k.Id);
        w.WriteString("kind", k.Kind);
        w.WriteString("label", k.Label);
        w.WriteStartArray("endpoints");
        k.Endpoints.ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
        w.WriteStartArray("operations");
        (k.Kind == KeyKinds.Client ? ClientOperationNames.Of(ClientOperationNames.Parse(k.Operations).Operations
            ?? ClientOperations.None) : []).ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
        w.WriteString("node", k.Node);
        w.WriteString("created", AdminAnswers.Iso(k.CreatedMs));
        w.WriteString("expires", k.ExpiresMs is { } e ? AdminAnswers.Iso(e) : null);
        w.WriteString("lastUsed", lastUsedMs is { } u ? AdminAnswers.Iso(u) : null);
        w.WriteEndObject();
    }

    private static string Describe(KeyRecord k) =>
        $"{k.Kind} key '{k.Label}' for {string.Join(",", k.Endpoints)}"
        + (k.Node is null ? string.Empty : $" as node {k.Node}")
        + (k.Operations.Count == 0 ? string.Empty : $" ({string.Join(",", k.Operations)})");

    private static IResult NoSuchKey(string id) => ApiResults.Error(404, $"No stored key '{id}'.",
        "List the keys with GET /api/keys (hearth keys list); keys from flags or environment cannot be revoked "
        + "here: change the configuration and restart.");
}
