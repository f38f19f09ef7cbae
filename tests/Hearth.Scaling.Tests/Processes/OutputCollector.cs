using System.Threading.Channels;
using Hearth.Scaling.Processes;

namespace Hearth.Scaling.Tests.Processes;

/// <summary>A provider whose output lines and exits arrive on channels a test can await.</summary>
internal sealed class OutputCollector : IAsyncDisposable
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly Channel<WorkerExited> exits = Channel.CreateUnbounded<WorkerExited>();

    public OutputCollector(TimeSpan? disposeDrain = null)
    {
        Provider = new ProcessProvider(new ProcessProviderOptions
        {
            OutputSink = (id, line) => lines.Writer.TryWrite($"{id}: {line}"),
            DisposeDrain = disposeDrain ?? TimeSpan.FromSeconds(5),
        });
        Provider.Exited += (_, e) => exits.Writer.TryWrite(e);
    }

    public ProcessProvider Provider { get; }

    public ChannelReader<string> Lines => lines.Reader;

    public ChannelReader<WorkerExited> Exits => exits.Reader;

    /// <summary>Every line received so far, without waiting.</summary>
    public List<string> Drain()
    {
        var all = new List<string>();
        while (lines.Reader.TryRead(out var line))
        {
            all.Add(line);
        }

        return all;
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
