namespace Hearth.App.Hosting;

/// <summary>
/// A control plane that cannot start for a reason its operator can fix (a port already in use): <c>dev</c> and
/// <c>serve</c> print the message as one line and exit with code 2, no stack trace.
/// </summary>
public sealed class StartupProblemException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StartupProblemException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StartupProblemException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StartupProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
