using System.Text.Json;
using Hearth.Server.Api;
using Hearth.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Admin;

/// <summary>
/// A request to create a key (<c>POST /api/keys</c>): its kind and scope, checked before anything is stored.
/// </summary>
/// <param name="Kind">One of <see cref="KeyKinds.All"/>.</param>
/// <param name="Label">Who or what uses it.</param>
/// <param name="Endpoints">Endpoints it may use (client keys, worker tokens); <c>*</c>: all.</param>
/// <param name="Operations">What a client key may do.</param>
/// <param name="Node">The node a node token is bound to.</param>
/// <param name="ExpiresInSeconds">When it stops working, from now; null: never.</param>
internal sealed record KeyRequest(
    string Kind, string Label, IReadOnlyList<string> Endpoints, IReadOnlyList<string> Operations, string? Node,
    long? ExpiresInSeconds)
{
    /// <summary>Longest life a key may be given: 10 years.</summary>
    public const long MaxExpiresInSeconds = 10L * 366 * 24 * 3600;

    private const int MaxLabel = 100;

    /// <summary>The request, or the 400 naming what to change.</summary>
    public static (KeyRequest? Request, IResult? Error) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Bad("The body must be a JSON object.");
        }

        var kind = Text(body, "kind");
        if (kind is null || !KeyKinds.All.Contains(kind))
        {
            return Bad($"'kind' must be one of: {string.Join(", ", KeyKinds.All)}.");
        }

        var label = Text(body, "label") ?? string.Empty;
        if (label.Length > MaxLabel || label.Any(char.IsControl))
        {
            return Bad($"'label' must be at most {MaxLabel} characters, without control characters.");
        }

        if (List(body, "endpoints") is not { } endpoints || endpoints.Any(e => e != "*" && !IsName(e)))
        {
            return Bad("'endpoints' must be a list of endpoint names (letters, digits, '-', '_', '.') or [\"*\"].");
        }

        if (List(body, "operations") is not { } operations
            || ClientOperationNames.Parse(operations).Operations is null)
        {
            return Bad($"'operations' must be a list of: {string.Join(", ", ClientOperationNames.All)}.");
        }

        if (operations.Count > 0 && kind != KeyKinds.Client)
        {
            return Bad("Only client keys have 'operations'; leave it out for other kinds.");
        }

        var node = Text(body, "node");
        if ((kind == KeyKinds.Node) != (node is not null) || (node is not null && !IsName(node)))
        {
            return Bad("A node token needs 'node' (the node name it is bound to: letters, digits, '-', '_', '.'); "
                + "other kinds have none.");
        }

        long? expires = null;
        if (body.TryGetProperty("expiresInSeconds", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var s) || s is < 1 or > MaxExpiresInSeconds)
            {
                return Bad($"'expiresInSeconds' must be a whole number from 1 to {MaxExpiresInSeconds}.");
            }

            expires = s;
        }

        var scope = kind is KeyKinds.Client or KeyKinds.Worker ? (endpoints.Count == 0 ? ["*"] : endpoints) : [];
        return (new KeyRequest(kind, label, scope, operations, node, expires), null);
    }

    /// <summary>Letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The strings of a list property (empty when absent); null when it is not a list of strings.</summary>
    private static List<string>? List(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
        {
            return null;
        }

        return [.. v.EnumerateArray().Select(i => i.GetString()!).Distinct(StringComparer.Ordinal)];
    }

    private static (KeyRequest?, IResult?) Bad(string error) => (null, ApiResults.Error(400, error,
        "Send {\"kind\": \"client\", \"endpoints\": [\"echo\"], \"operations\": [\"run\", \"read\"]} or "
        + "{\"kind\": \"node\", \"node\": \"gpu-1\"}; 'label' and 'expiresInSeconds' are optional."));
}
