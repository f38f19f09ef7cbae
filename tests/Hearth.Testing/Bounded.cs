namespace Hearth.Testing;

/// <summary>
/// A bound on every real wait in a test: a hang becomes a failure that says what the test was waiting for,
/// instead of a test host that never returns.
/// </summary>
public static class Bounded
{
    /// <summary>
    /// Generous: real processes and sockets on a loaded CI machine; only reached when something is broken.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Awaits <paramref name="task"/> for at most <paramref name="bound"/>; on time-out says what it waited for.
    /// </summary>
    public static async Task Within(this Task task, TimeSpan bound, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(bound);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Waited {bound.TotalSeconds:0.#} s for {what}; it never happened.");
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/> for at most <paramref name="bound"/>; on time-out says what it waited for.
    /// </summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan bound, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(bound);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Waited {bound.TotalSeconds:0.#} s for {what}; it never happened.");
        }
    }

    /// <summary><see cref="Within(Task, TimeSpan, string)"/> with <see cref="Patience"/>.</summary>
    public static Task Within(this Task task, string what) => task.Within(Patience, what);

    /// <summary><see cref="Within{T}(Task{T}, TimeSpan, string)"/> with <see cref="Patience"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task, string what) => task.Within(Patience, what);
}
