using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Hearth.Server.Hosting;
using Hearth.Store.Keys;
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
    /// <summary>For a client key: what it may do on its endpoints. Default all.</summary>
    public ClientOperations Operations { get; init; } = ClientOperations.All;

    /// <summary>For a node token kept as data: the one node it may act as; null: any (a configured token).</summary>
    public string? Node { get; init; }

    /// <summary>The stored key's id; null for a key from configuration (flags, environment).</summary>
    public string? Id { get; init; }

    /// <summary>The first 16 hex digits of the key's hash: names the key in rate-limit partitions, never a
    /// secret.</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary>When a stored key stops working (Unix ms); null: never.</summary>
    public long? ExpiresMs { get; init; }

    /// <summary>How the audit log names the caller: the stored key's id, or the kind of a configured key.</summary>
    public string Actor => Id ?? Kind.ToString().ToLowerInvariant();

    /// <summary>True when the principal may use <paramref name="endpoint"/>.</summary>
    public bool Allows(string endpoint) => Endpoints.Contains("*") || Endpoints.Contains(endpoint);

    /// <summary>True when a client key may perform <paramref name="operation"/>.</summary>
    public bool May(ClientOperations operation) => (Operations & operation) == operation;
}

/// <summary>
/// All credentials, kept only as SHA-256 hashes: those configured at start (flags, environment; they never change)
/// and those kept as data in the store (<see cref="KeyRegistry"/>), which <see cref="KeyRefresher"/> reloads when they
/// change. Accepts <c>Authorization: Bearer KEY</c> and the raw <c>Authorization: KEY</c> that Runpod workers and curl
/// examples send.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, Principal> _configured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private volatile IReadOnlyDictionary<string, Principal> _stored = new Dictionary<string, Principal>();

    /// <summary>Builds the ring from the server options.</summary>
    public KeyRing(IOptions<HearthServerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var o = options.Value;
        foreach (var k in o.ClientKeys)
        {
            Add(k.Key, new Principal(PrincipalKind.Client, new HashSet<string>(k.Endpoints, StringComparer.Ordinal))
            {
                Operations = k.Operations,
            });
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

    /// <summary>The store version of the keys now in the ring (-1 before the first load).</summary>
    public long StoredVersion { get; private set; } = -1;

    /// <summary>The hash a secret is kept as.</summary>
    public static string HashOf(string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret ?? string.Empty)));

    /// <summary>True when a secret is one of the configured keys (a stored key may not reuse one).</summary>
    public bool IsConfigured(string hash) => _configured.ContainsKey(hash);

    /// <summary>Replaces the stored keys with <paramref name="keys"/>, as of <paramref name="version"/>.</summary>
    public void Apply(long version, IReadOnlyList<KeyRecord> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var next = new Dictionary<string, Principal>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            if (ToPrincipal(k) is { } principal && !_configured.ContainsKey(k.Hash))
            {
                next[k.Hash] = principal with { Fingerprint = k.Hash[..16] };
            }
        }

        _stored = next;
        StoredVersion = version;
    }

    /// <summary>The principal for an Authorization header value, or null (unknown, revoked or expired).</summary>
    public Principal? Authenticate(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var key = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization[7..] : authorization;
        var hash = HashOf(key.Trim());
        if (_configured.TryGetValue(hash, out var configured))
        {
            return configured;
        }

        if (!_stored.TryGetValue(hash, out var stored))
        {
            return null;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (stored.ExpiresMs <= now)
        {
            return null;
        }

        _used[stored.Id!] = now;
        return stored;
    }

    /// <summary>Takes the last uses of stored keys seen since the previous call (key id → Unix ms).</summary>
    public IReadOnlyDictionary<string, long> TakeLastUses()
    {
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var id in _used.Keys)
        {
            if (_used.TryRemove(id, out var at))
            {
                taken[id] = at;
            }
        }

        return taken;
    }

    private static Principal? ToPrincipal(KeyRecord k)
    {
        var endpoints = new HashSet<string>(k.Endpoints, StringComparer.Ordinal);
        var none = new HashSet<string>(StringComparer.Ordinal);
        return k.Kind switch
        {
            KeyKinds.Client => new Principal(PrincipalKind.Client, endpoints)
            {
                Operations = ClientOperationNames.Parse(k.Operations).Operations ?? ClientOperations.None,
                Id = k.Id,
                ExpiresMs = k.ExpiresMs,
            },
            KeyKinds.Worker => new Principal(PrincipalKind.Worker, endpoints) { Id = k.Id, ExpiresMs = k.ExpiresMs },
            KeyKinds.Node => new Principal(PrincipalKind.Node, none)
            {
                Node = k.Node,
                Id = k.Id,
                ExpiresMs = k.ExpiresMs,
            },
            KeyKinds.Metrics => new Principal(PrincipalKind.Metrics, none) { Id = k.Id, ExpiresMs = k.ExpiresMs },
            _ => null,
        };
    }

    private void Add(string key, Principal principal)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new OptionsValidationException("Keys", typeof(HearthServerOptions),
                ["An API key, worker token, node token or admin key is empty: give every key a value."]);
        }

        var hash = HashOf(key);
        if (!_configured.TryAdd(hash, principal with { Fingerprint = hash[..16] }))
        {
            throw new OptionsValidationException("Keys", typeof(HearthServerOptions), ["The same value is used for two "
                + "keys: client keys, worker tokens, node tokens and the admin key must all differ."]);
        }
    }
}

/// <summary>The kinds of stored keys, as <see cref="KeyRecord.Kind"/> and <c>hearth keys create --kind</c> write
/// them.</summary>
public static class KeyKinds
{
    /// <summary>A client API key.</summary>
    public const string Client = "client";

    /// <summary>A worker token.</summary>
    public const string Worker = "worker";

    /// <summary>A node token, bound to one node name.</summary>
    public const string Node = "node";

    /// <summary>A key that reads <c>/metrics</c> only.</summary>
    public const string Metrics = "metrics";

    /// <summary>All of them.</summary>
    public static readonly IReadOnlyList<string> All = [Client, Worker, Node, Metrics];
}
