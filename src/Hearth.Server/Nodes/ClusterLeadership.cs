namespace Hearth.Server.Nodes;

/// <summary>Whether this replica's scheduler leads now (set by the scheduler each tick; read by
/// <c>/api/cluster</c>).</summary>
public sealed class ClusterLeadership
{
    private long _epoch;

    /// <summary>The fencing epoch while this replica leads the scheduler; 0 otherwise.</summary>
    public long Epoch
    {
        get => Interlocked.Read(ref _epoch);
        set => Interlocked.Exchange(ref _epoch, value);
    }
}
