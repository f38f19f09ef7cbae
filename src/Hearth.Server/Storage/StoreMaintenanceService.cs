using Hearth.Store;
using Hearth.Store.Embedded;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Storage;

/// <summary>
/// Runs the embedded store's maintenance (<see cref="StoreMaintenance"/>: checkpoints that bound the append-only file,
/// the disk budget) every couple of seconds; idle on an external store, which keeps its own files.
/// </summary>
public sealed partial class StoreMaintenanceService(
    StoreHost host, TimeProvider time, ILogger<StoreMaintenanceService> logger)
    : BackgroundService
{
    private string? _full;
    private bool _failed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (host.Maintenance is not { } maintenance)
        {
            return;
        }

        using var timer = new PeriodicTimer(StoreMaintenance.Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var started = 0L;
                void Starting()
                {
                    started = time.GetTimestamp();
                    Checkpointing(logger, EmbeddedSizing.Format(maintenance.Usage.LogBytes));
                }

                if (await maintenance.RunOnceAsync(stoppingToken, Starting).ConfigureAwait(false))
                {
                    Checkpointed(logger, (long)time.GetElapsedTime(started).TotalMilliseconds);
                }

                Report(maintenance.Usage.Full);
                if (maintenance.DiskFailure is { } failed && !_failed)
                {
                    _failed = true;
                    DiskFailed(logger, host.Embedded!.Directory, failed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(logger, e.Message, e);
            }
        }
    }

    private void Report(string? full)
    {
        if (full == _full)
        {
            return;
        }

        if (full is not null)
        {
            Full(logger, full);
        }
        else
        {
            Room(logger);
        }

        _full = full;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store checkpoint started (append-only file {Size})")]
    private static partial void Checkpointing(ILogger logger, string size);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Store checkpointed in {Ms} ms; the append-only file it covers is freed")]
    private static partial void Checkpointed(ILogger logger, long ms);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Store full: {Why}. New jobs, steps and state writes are refused (507) until there is room")]
    private static partial void Full(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store cannot write its data directory '{Directory}' ({Why}): " +
        "every write is refused (503). Make it writable, then restart Hearth; everything acknowledged is kept")]
    private static partial void DiskFailed(ILogger logger, string directory, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store has room again: new work is accepted")]
    private static partial void Room(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store maintenance failed: {Error}; retrying")]
    private static partial void Failed(ILogger logger, string error, Exception exception);
}
