namespace Hearth.Store.Keys;

/// <summary>
/// A credential kept as data (<see cref="KeyRegistry"/>): its kind, scope and life. The secret itself is never
/// stored, only its SHA-256 <see cref="Hash"/>; <see cref="Id"/> names it in lists, the audit log and revocation.
/// </summary>
public sealed record KeyRecord
{
    /// <summary>The public name of the key (<c>key_</c> and 12 hex digits); not a secret.</summary>
    public required string Id { get; init; }

    /// <summary><c>client</c>, <c>worker</c>, <c>node</c> or <c>metrics</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>SHA-256 of the secret, upper-case hex.</summary>
    public required string Hash { get; init; }

    /// <summary>A label the operator gave it (who or what uses it). Default empty.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>Endpoints it may use (<c>*</c>: all). Client keys and worker tokens only.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = ["*"];

    /// <summary>For client keys: the operations it may perform (run, read, cancel, purge); empty means all.</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];

    /// <summary>For node tokens: the one node name it may act as.</summary>
    public string? Node { get; init; }

    /// <summary>When it was created (Unix ms).</summary>
    public long CreatedMs { get; init; }

    /// <summary>When it stops working (Unix ms); null: never. Rotation sets it on the old key.</summary>
    public long? ExpiresMs { get; init; }
}
