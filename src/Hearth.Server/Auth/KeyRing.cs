using System.Security.Cryptography;
using System.Text;
using Hearth.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>What kind of credential a request carried.</summary>
public enum PrincipalKind
{
    /// <summary>A client API key: submit, read, cancel.</summary>
    Client,

    /// <summary>A worker token: pull, heartbeat, report results.</summary>
    Worker,

    /// <summary>The admin key.</summary>
    Admin,

    /// <summary>A node token: a node agent registers, heartbeats and receives its workers.</summary>
    Node,

    /// <summary>A metrics key: reads <c>/metrics</c>, nothing else.</summary>
    Metrics,
}

/// <summary>An authenticated caller.</summary>
/// <param name="Kind">Credential kind.</param>
/// <param name="Endpoints">Endpoints it may use; <c>*</c> means all.</param>
public sealed record Principal(PrincipalKind Kind, IReadOnlySet<string> Endpoints)
{
    /// <summary>True when the principal may use <paramref name="endpoint"/>.</summary>
    public bool Allows(string endpoint) => Endpoints.Contains("*") || Endpoints.Contains(endpoint);
}

/// <summary>
/// All credentials, kept only as SHA-256 hashes. Accepts <c>Authorization: Bearer KEY</c> and the raw
/// <c>Authorization: KEY</c> that Runpod workers and curl examples send.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, Principal> _byHash = new(StringComparer.Ordinal);

    /// <summary>Builds the ring from the server options.</summary>
    public KeyRing(IOptions<HearthServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        foreach (var k in o.ClientKeys)
        {
            Add(k.Key, new Principal(PrincipalKind.Client, new HashSet<string>(k.Endpoints, StringComparer.Ordinal)));
        }

        foreach (var t in o.WorkerTokens)
        {
            Add(t.Token,
                new Principal(PrincipalKind.Worker, new HashSet<string>([t.Endpoint], StringComparer.Ordinal)));
        }

        foreach (var t in o.NodeTokens)
        {
            Add(t, new Principal(PrincipalKind.Node, new HashSet<string>(StringComparer.Ordinal)));
        }

        if (!string.IsNullOrEmpty(o.MetricsKey))
        {
            Add(o.MetricsKey, new Principal(PrincipalKind.Metrics, new HashSet<string>(StringComparer.Ordinal)));
        }

        if (!string.IsNullOrEmpty(o.AdminKey))
        {
            Add(o.AdminKey, new Principal(PrincipalKind.Admin, new HashSet<string>(["*"], StringComparer.Ordinal)));
        }
    }

    private void Add(string key, Principal principal)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new OptionsValidationException("Keys", typeof(HearthServerOptions),
                ["An API key, worker token, node token or admin key is empty: give every key a value."]);
        }

        if (!_byHash.TryAdd(Hash(key), principal))
        {
            throw new OptionsValidationException("Keys", typeof(HearthServerOptions), ["The same value is used for two "
                + "keys: client keys, worker tokens, node tokens and the admin key must all differ."]);
        }
    }

    /// <summary>The principal for an Authorization header value, or null.</summary>
    public Principal? Authenticate(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var key = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization[7..] : authorization;
        return _byHash.GetValueOrDefault(Hash(key.Trim()));
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
