namespace Hearth.Scaling.Processes;

/// <summary>Keeps the last few lines a worker wrote to stderr, so a crash can be explained.</summary>
internal sealed class StderrTail(int capacity)
{
    private readonly Queue<string> lines = new(capacity);
    private readonly Lock gate = new();

    public void Add(string line)
    {
        lock (gate)
        {
            if (capacity <= 0)
            {
                return;
            }

            if (lines.Count == capacity)
            {
                lines.Dequeue();
            }

            lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (gate)
        {
            return [.. lines];
        }
    }
}
