using Microsoft.AspNetCore.Builder;

namespace Hearth.Server.Auth;

/// <summary>What a client key may do on the endpoints in its scope. A route declares the one it needs with
/// <see cref="RequiresOperation"/>.</summary>
[Flags]
public enum ClientOperations
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Submit jobs: <c>/run</c>, <c>/runsync</c>, <c>/retry</c>.</summary>
    Run = 1,

    /// <summary>Read jobs and the endpoint: <c>/status</c>, <c>/stream</c>, <c>/health</c>.</summary>
    Read = 2,

    /// <summary>Cancel a job: <c>/cancel</c>.</summary>
    Cancel = 4,

    /// <summary>Empty the queue: <c>/purge-queue</c>.</summary>
    Purge = 8,

    /// <summary>Everything (the default for a client key).</summary>
    All = Run | Read | Cancel | Purge,
}

/// <summary>Route metadata: the client operation a route performs (checked by <see cref="Access"/>) and the kind of
/// rate limit it counts against (<see cref="Hosting.RateClasses"/>).</summary>
/// <param name="Operation">The operation.</param>
/// <param name="RateClass">The rate limit it counts against.</param>
public sealed record RequiresOperation(ClientOperations Operation, string RateClass);

/// <summary>Declaring a route's operation.</summary>
public static class RequiresOperationExtensions
{
    /// <summary>Marks the route as performing <paramref name="operation"/>, limited as <paramref
    /// name="rateClass"/>.</summary>
    public static RouteHandlerBuilder Needs(
        this RouteHandlerBuilder route, ClientOperations operation, string rateClass) =>
        route.WithMetadata(new RequiresOperation(operation, rateClass));
}

/// <summary>Client operations by name, as <c>hearth keys create --op</c> and the key API write them.</summary>
public static class ClientOperationNames
{
    /// <summary>The names, in order.</summary>
    public static readonly IReadOnlyList<string> All = ["run", "read", "cancel", "purge"];

    /// <summary>The operations named (empty: all); null with the unknown name when one is not an operation.</summary>
    public static (ClientOperations? Operations, string? Unknown) Parse(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var ops = ClientOperations.None;
        foreach (var name in names)
        {
            ops |= name.Trim().ToLowerInvariant() switch
            {
                "run" => ClientOperations.Run,
                "read" => ClientOperations.Read,
                "cancel" => ClientOperations.Cancel,
                "purge" => ClientOperations.Purge,
                _ => ClientOperations.None,
            };
            if (!All.Contains(name.Trim().ToLowerInvariant()))
            {
                return (null, name);
            }
        }

        return (ops == ClientOperations.None ? ClientOperations.All : ops, null);
    }

    /// <summary>The names of the operations set.</summary>
    public static IReadOnlyList<string> Of(ClientOperations ops) =>
        [.. All.Where(n => ops.HasFlag(Parse([n]).Operations!.Value))];
}
