using Hearth.Store;
using Hearth.Store.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Admin;

/// <summary><c>GET /api/store</c> (admin key): where the store is and, for the embedded one, its footprint.</summary>
internal static class StoreRoutes
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/store", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext http, StoreHost host)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        if (host.Embedded is not { } s || host.Maintenance is not { } m)
        {
            return Results.Json(new { kind = "external", description = host.Description });
        }

        var u = m.Usage;
        return Results.Json(new
        {
            kind = "embedded",
            description = host.Description,
            data = s.Directory,
            durability = StoreDurabilityNames.Of(s.Durability),
            memory = new { budget_bytes = s.MemoryBytes, used_bytes = u.MemoryBytes,
                from_machine = s.MemoryFromMachine },
            index_bytes = s.IndexBytes,
            disk = new { used_bytes = u.DiskBytes, max_bytes = s.MaxDiskBytes, full = u.Full },
            records = u.Records,
            log = new { bytes = u.LogBytes, checkpoint_at_bytes = s.CheckpointLogBytes },
            last_checkpoint = u.LastCheckpoint is { } at ? AdminAnswers.Iso(at.ToUnixTimeMilliseconds()) : null,
            human = new
            {
                memory = $"{EmbeddedSizing.Format(u.MemoryBytes)} of {EmbeddedSizing.Format(s.MemoryBytes)} hot",
                disk = EmbeddedSizing.Format(u.DiskBytes)
                    + (s.MaxDiskBytes is { } max ? $" of {EmbeddedSizing.Format(max)}" : string.Empty),
                log = EmbeddedSizing.Format(u.LogBytes),
            },
        });
    }
}
