namespace Hearth.Core.Memory;

/// <summary>A model config that is missing, unreadable or lacks a field the memory model needs.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelConfigException()
    {
    }

    /// <summary>Creates the exception with a message that names the file, the problem and the fix.</summary>
    /// <param name="message">The message.</param>
    public ModelConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
