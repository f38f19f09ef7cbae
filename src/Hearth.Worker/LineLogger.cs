using Microsoft.Extensions.Logging;

namespace Hearth.Worker;

/// <summary>
/// A worker process's log: one line per entry on stderr (<c>warn: Category: message</c>), from a minimum level. The
/// console logger of Microsoft.Extensions.Logging costs a worker ~35 ms of its cold start (options, a queue thread,
/// formatters; measured with <c>bench/cold-start.py</c>) and reflects over its options; a worker logs little, so it
/// writes its lines itself.
/// </summary>
internal sealed class LineLogger<T>(LogLevel minimum, TextWriter output) : ILogger<T>
{
    private static readonly string Category = typeof(T).FullName ?? typeof(T).Name;
    private static readonly Lock Gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"{Level(logLevel)}: {Category}: {formatter(state, exception)}"
            + (exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message);
        lock (Gate)
        {
            output.WriteLine(line);
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
