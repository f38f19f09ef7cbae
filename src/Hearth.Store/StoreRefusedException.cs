namespace Hearth.Store;

/// <summary>
/// The store refused or could not confirm a write, so nothing was acknowledged: the disk budget is spent (answered
/// 507), or a commit did not reach the disk in time (answered 503 with <see cref="RetryAfter"/>). The message says what
/// happened, <see cref="Hint"/> what to do; both name the data directory.
/// </summary>
public sealed class StoreRefusedException : Exception
{
    public StoreRefusedException()
    {
        Hint = string.Empty;
    }

    public StoreRefusedException(string message)
        : base(message)
    {
        Hint = string.Empty;
    }

    public StoreRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Hint = string.Empty;
    }

    private StoreRefusedException(string message, string hint, bool full, TimeSpan? retryAfter)
        : base(message)
    {
        Hint = hint;
        Full = full;
        RetryAfter = retryAfter;
    }

    /// <summary>What to do about it.</summary>
    public string Hint { get; }

    /// <summary>True when the store is out of space (507); false when it is stalled (503).</summary>
    public bool Full { get; }

    /// <summary>When a retry may succeed; null when only a person can fix it.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The disk budget is spent: new work is refused until space is freed.</summary>
    public static StoreRefusedException DiskFull(string directory, string why) => new(
        $"The store is full ({why}); the request was not accepted.",
        $"Free space on the disk of '{directory}', drain or purge queues, shorten result retention, or raise " +
        "--store-max-disk; then retry.", full: true, retryAfter: null);

    /// <summary>
    /// The disk refused a commit (read-only, I/O error): the embedded store writes nothing more until Hearth is
    /// restarted on a writable directory.
    /// </summary>
    public static StoreRefusedException DiskFailed(string directory, string why) => new(
        $"The store cannot write its data directory ({why}); the request was not accepted.",
        $"Make '{directory}' writable (a read-only or failed file system: repair and remount it read-write), then " +
        "restart Hearth: the store does not resume writing on its own, and everything acknowledged before is kept.",
        full: false, retryAfter: null);

    /// <summary>A commit did not reach the disk within <paramref name="bound"/>.</summary>
    public static StoreRefusedException CommitStalled(string directory, TimeSpan bound) => new(
        $"The store did not confirm the write on disk within {bound.TotalSeconds:0.#} s; it was not acknowledged.",
        $"Check the disk of '{directory}' (full, read-only or very slow); retry with an Idempotency-Key so a write " +
        "that did land is not repeated.", full: false, retryAfter: TimeSpan.FromSeconds(5));
}
