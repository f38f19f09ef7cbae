namespace Hearth.Store;

/// <summary>The store cannot be used as configured; the message says what to change.</summary>
public sealed class StoreConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StoreConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public StoreConfigurationException()
    {
    }
}
