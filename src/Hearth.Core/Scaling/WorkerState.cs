namespace Hearth.Core.Scaling;

/// <summary>Lifecycle states of a worker, in the DESIGN vocabulary.</summary>
public enum WorkerState
{
    /// <summary>Starting: process launched or model loading; has not taken its first job yet. Counts as
    /// active.</summary>
    Initializing,

    /// <summary>Up and waiting for work. Counts as active; stops after the idle timeout when above the
    /// minimum.</summary>
    Idle,

    /// <summary>Running at least one job. Counts as active.</summary>
    Running,

    /// <summary>Finishing its current jobs before stopping; takes no new ones. Not active.</summary>
    Draining,

    /// <summary>Crashed or failing health checks. Not active.</summary>
    Unhealthy,

    /// <summary>Gone. Not active.</summary>
    Stopped,
}
