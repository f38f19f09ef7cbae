using Microsoft.Extensions.Logging;

namespace Hearth.App.Hosting;

/// <summary>
/// Renders a loop's log events as the friendly console lines of <c>dev</c>, <c>serve</c> and <c>node</c>: the message
/// alone, indented (information and above).
/// </summary>
/// <typeparam name="T">The category.</typeparam>
internal sealed class ConsoleLines<T>(TextWriter output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            output.WriteLine("  " + formatter(state, exception));
        }
    }
}
