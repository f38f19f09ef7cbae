namespace Hearth.Testing;

/// <summary>
/// Bounded waiting on something a real process does on its own clock (a worker process, a server started by a test).
/// The probe is re-run until it yields a value; the bound only turns a hang into a failure with the last observation.
/// </summary>
public static class Eventually
{
    /// <summary>Re-runs <paramref name="probe"/> every 50 ms until it returns non-null, for at most <paramref name="seconds"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, int seconds = 30)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}; it never happened.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Re-runs <paramref name="condition"/> every 50 ms until it holds, for at most <paramref
    /// name="seconds"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return ValueAsync(async () => await condition() ? what : null, what, seconds);
    }

    /// <summary>Re-runs <paramref name="condition"/> every 50 ms until it holds, for at most <paramref
    /// name="seconds"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, seconds);
    }
}
