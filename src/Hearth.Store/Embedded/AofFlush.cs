using System.Globalization;

namespace Hearth.Store.Embedded;

/// <summary>
/// Makes Garnet's committed append-only file durable. Garnet writes the file with <c>O_DIRECT</c> and never calls
/// <c>fsync</c>: the bytes skip the page cache, but the file's growth (its new blocks and size) can still be only in
/// the file system's journal, and a power cut loses it. So after each commit the store waits for, this flushes the
/// newest log segments (and, when a segment appeared, the log's directory) with <c>fsync</c>. Callers that wait at
/// the same time share one flush: a flush counts for every request made before it began.
/// </summary>
internal sealed class AofFlush(string dataDirectory)
{
    private readonly string _data = dataDirectory;
    private readonly string _aof = Path.Combine(dataDirectory, "AOF");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _requested;
    private long _flushed;
    private int _newestSegment = -1;

    /// <summary>Completes once every AOF write committed before the call is on disk.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var mine = Interlocked.Increment(ref _requested);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _flushed) >= mine)
            {
                return; // a flush that began after this request covered it
            }

            var through = Volatile.Read(ref _requested);
            await Task.Run(Flush, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _flushed, through);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// fsyncs the newest segment and the one before it (a commit may span a segment switch), and the directory when a
    /// segment is new. The directory is listed once; after that a switch is seen by the next segment's name existing.
    /// </summary>
    private void Flush()
    {
        if (_newestSegment < 0)
        {
            if (!Directory.Exists(_aof))
            {
                return;
            }

            var found = Directory.EnumerateFiles(_aof, "aof.log.*").Select(Number).DefaultIfEmpty(-1).Max();
            if (found < 0)
            {
                return;
            }

            DiskSync.Directory(_data); // the log directory's own name, the first time
            NewSegment(found);
        }

        while (File.Exists(Segment(_newestSegment + 1)))
        {
            NewSegment(_newestSegment + 1);
        }

        if (File.Exists(Segment(_newestSegment - 1)))
        {
            DiskSync.File(Segment(_newestSegment - 1));
        }

        DiskSync.File(Segment(_newestSegment));
    }

    private void NewSegment(int number)
    {
        DiskSync.Directory(_aof); // the new segment's name must survive a power cut too
        _newestSegment = number;
    }

    private string Segment(int number) =>
        Path.Combine(_aof, "aof.log." + number.ToString(CultureInfo.InvariantCulture));

    private static int Number(string path) =>
        int.TryParse(Path.GetExtension(path).TrimStart('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : -1;
}
