using System.Text.Json;
using Hearth.Server.Api;
using Hearth.Server.Auth;
using Hearth.Server.Hosting;
using Hearth.Store.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Nodes;

/// <summary>
/// The node API (node tokens only): <c>POST /api/nodes/{name}/heartbeat</c> registers and answers the node's workers;
/// <c>GET /api/nodes/{name}/workers?version=N</c> long-polls until they change. <c>GET /api/cluster</c> (admin) lists
/// nodes, their workers and whether this replica leads the scheduler. State lives in the store, so any replica answers.
/// </summary>
internal static class NodeRoutes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(200);

    public static void Map(IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/nodes/{name}");
        nodes.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (Access.Throttled(http) is { } throttled)
            {
                return throttled;
            }

            var principal = Access.Authenticate(http);
            if (principal is null)
            {
                return Access.Refused(http, ApiResults.Error(401, "Missing, unknown or revoked node token.",
                    "Start the agent with 'hearth node --token T' (env HEARTH_NODE_TOKEN) using a token from 'hearth "
                    + "keys create --kind node --node NAME', or the one 'hearth serve' printed or was given with "
                    + "--node-token."));
            }

            if (principal.Kind != PrincipalKind.Node)
            {
                return ApiResults.Error(403,
                    "This route is for node agents; client keys, worker tokens and the admin key cannot use it.",
                    "Use a node token ('hearth keys create --kind node --node NAME', or hearth serve --node-token).");
            }

            var name = (string)http.GetRouteValue("name")!;
            if (principal.Node is { } bound && !string.Equals(bound, name, StringComparison.Ordinal))
            {
                return ApiResults.Error(403, $"This node token is bound to node '{bound}'; it cannot act as '{name}'.",
                    $"Start the agent as '{bound}' (hearth node --name {bound}), or create a token for '{name}' with "
                    + $"'hearth keys create --kind node --node {name}'.");
            }

            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFailure.Answer(e) is { } answer)
            {
                return answer;
            }
        });
        nodes.MapPost("/heartbeat", HeartbeatAsync);
        nodes.MapGet("/workers", WorkersAsync);
        app.MapGet("/api/cluster", ClusterAsync);
    }

    private static async Task<IResult> HeartbeatAsync(
        string name, HttpContext http, NodeRegistry registry, IOptions<HearthServerOptions> options, TimeProvider time)
    {
        NodeHeartbeat? beat;
        try
        {
            beat = await JsonSerializer.DeserializeAsync<NodeHeartbeat>(http.Request.Body, Json, http.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return ApiResults.Error(400, $"The heartbeat body is not valid JSON: {e.Message}",
                "Send {\"inventory\": {...}, \"running\": [...], \"exits\": [...]} as hearth node does.");
        }

        if (beat?.Inventory is null || string.IsNullOrWhiteSpace(name) || name.Length > 128)
        {
            return ApiResults.Error(400, "The heartbeat has no inventory, or the node name is empty or too long.",
                "Send the node's inventory; name nodes with at most 128 characters.");
        }

        var wasLost = await registry.HeartbeatAsync(beat.Inventory with { NodeId = name },
            time.GetUtcNow().ToUnixTimeMilliseconds(), http.RequestAborted).ConfigureAwait(false);
        foreach (var exit in beat.Exits ?? [])
        {
            // The scheduler sees one worker fewer, counts the exit (crash backoff) and places a replacement.
            var record = new WorkerExitRecord(exit.WorkerId, exit.Endpoint ?? string.Empty, exit.ExitCode,
                [.. (exit.LastLines ?? []).TakeLast(20)], exit.Requested);
            await registry.ExitedAsync(name, record, http.RequestAborted).ConfigureAwait(false);
        }

        return Results.Json(
            await OrdersAsync(name, wasLost, registry, options.Value, http.RequestAborted).ConfigureAwait(false), Json);
    }

    private static async Task<IResult> WorkersAsync(
        string name, HttpContext http, NodeRegistry registry, IOptions<HearthServerOptions> options, TimeProvider time)
    {
        long? version = null;
        if (http.Request.Query["version"] is { Count: > 0 } raw)
        {
            if (!long.TryParse(raw[0], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return ApiResults.Error(400, $"version '{raw[0]}' is not a number.",
                    "Pass the version of the last answer (?version=N), or none to get the workers at once.");
            }

            version = parsed;
        }

        var deadline = time.GetTimestamp();
        while (version is { } known && time.GetElapsedTime(deadline) < options.Value.LongPoll
            && await registry.VersionAsync(http.RequestAborted).ConfigureAwait(false) == known)
        {
            try
            {
                await Task.Delay(PollStep, time, http.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        return Results.Json(
            await OrdersAsync(name, false, registry, options.Value, http.RequestAborted).ConfigureAwait(false), Json);
    }

    private static async Task<NodeOrders> OrdersAsync(
        string name, bool wasLost, NodeRegistry registry, HearthServerOptions o, CancellationToken cancellationToken)
    {
        var (version, all) = await registry.AssignmentsAsync(cancellationToken).ConfigureAwait(false);
        var mine = all.Where(a => a.Node == name)
            .Select(a => new NodeWorkerOrder(a, o.WorkerTokens.FirstOrDefault(t => t.Endpoint == a.Endpoint)?.Token
                ?? o.WorkerTokens.FirstOrDefault(t => t.Endpoint == "*")?.Token ?? string.Empty))
            .ToList();
        return new NodeOrders(version, wasLost, (long)o.Lease.TotalMilliseconds,
            (long)o.HeartbeatInterval.TotalMilliseconds, (long)o.NodeHeartbeatInterval.TotalMilliseconds, mine);
    }

    private static async Task<IResult> ClusterAsync(
        HttpContext http, NodeRegistry registry, ClusterLeadership leadership, IOptions<HearthServerOptions> options)
    {
        if (await Admin.AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        try
        {
            var nodes = await registry.ListAsync(http.RequestAborted).ConfigureAwait(false);
            var (version, workers) = await registry.AssignmentsAsync(http.RequestAborted).ConfigureAwait(false);
            return Results.Json(new
            {
                replica = options.Value.ReplicaId,
                leader = leadership.Epoch > 0,
                epoch = leadership.Epoch,
                version,
                nodes = nodes.Select(n => new { name = n.Name, state = n.Lost ? "Lost" : "Ready",
                    lastSeenMs = n.LastSeenMs, inventory = n.Inventory }),
                workers,
            }, Json);
        }
        catch (Exception e) when (StoreFailure.Answer(e) is { } answer)
        {
            return answer;
        }
    }
}
