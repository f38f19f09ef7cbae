using Hearth.Soak.Checking;
using Hearth.Soak.Faults;
using Hearth.Soak.History;
using Hearth.Soak.Reporting;

namespace Hearth.Soak.Running;

/// <summary>What one soak run found.</summary>
/// <param name="Directory">Where its history, report and logs are.</param>
/// <param name="Check">Every invariant's result.</param>
/// <param name="Events">The whole history.</param>
public sealed record SoakOutcome(string Directory, CheckResult Check, IReadOnlyList<HistoryEvent> Events);

/// <summary>
/// One soak run against one control plane: the webhook receiver, the chaos proxy, the control plane and its workers,
/// then the load and the fault injector together for the run's length, a drain (every job followed to its end, the
/// webhooks' retries given time, every acknowledged job read once more), and finally the history merged, checked and
/// reported.
/// </summary>
public static class SoakRunner
{
    /// <summary>Runs <paramref name="options"/>'s mode (dev or serve) into <paramref name="directory"/>.</summary>
    public static Task<SoakOutcome> RunAsync(SoakOptions options, string mode, string directory, TextWriter progress, CancellationToken cancellationToken) =>
        RunAsync(options, mode, directory, progress, soak => mode switch
        {
            "dev" => new DevPlane(soak),
            "serve" => new ServePlane(soak),
            _ => throw new ArgumentException($"Unknown mode {mode}."),
        }, cancellationToken);

    internal static async Task<SoakOutcome> RunAsync(
        SoakOptions options, string name, string directory, TextWriter progress, Func<SoakContext, IControlPlane> createPlane,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var time = TimeProvider.System;
        Directory.CreateDirectory(Path.Combine(directory, "events"));
        var started = time.GetTimestamp();
        var soak = new SoakContext(options, Path.GetFullPath(directory), new HistoryLog(Path.Combine(directory, "events", "soak.jsonl"), time), time);
        soak.History.Write(new HistoryEvent
        {
            Type = EventTypes.Note, Kind = "settings",
            Detail = $"{name}: {options.Jobs} jobs over {options.Minutes} min, seed {options.Seed}, lease {options.LeaseMs} ms, "
                + $"{options.Workers} workers x {options.Concurrency} + 1 stream worker, a fault every ~{options.FaultEverySeconds} s",
        });
        Dictionary<string, int> faults;
        LoadFigures figures;
        await using (var receiver = new WebhookReceiver(soak.History, soak.WebhookSecret, time))
        {
            await receiver.StartAsync(cancellationToken).ConfigureAwait(false);
            var plane = createPlane(soak);
            await using (plane)
            await using (var proxy = new ChaosProxy(plane.WorkerPorts, time))
            {
                soak.Proxy = proxy;
                await progress.WriteLineAsync($"[{name}] starting the control plane and its workers…").ConfigureAwait(false);
                await plane.StartAsync(cancellationToken).ConfigureAwait(false);
                using var load = new LoadGenerator(soak, plane, receiver.BaseUrl);
                var injector = new FaultInjector(soak, plane);
                await progress.WriteLineAsync($"[{name}] load: {options.Jobs} jobs over {options.Minutes} min, faults every ~{options.FaultEverySeconds} s").ConfigureAwait(false);
                var loadStarted = time.GetTimestamp();
                using (var submitting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                using (var faulting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    submitting.CancelAfter(TimeSpan.FromMinutes(options.Minutes) + TimeSpan.FromSeconds(30));
                    var chaos = injector.RunAsync(faulting.Token);
                    await load.RunAsync(submitting.Token, cancellationToken).ConfigureAwait(false);
                    await faulting.CancelAsync().ConfigureAwait(false);
                    await chaos.ConfigureAwait(false);
                }

                var faultsEnded = time.GetTimestamp();
                var loadSeconds = time.GetElapsedTime(loadStarted).TotalSeconds;
                await progress.WriteLineAsync($"[{name}] load over ({load.Submitted} submitted, {load.Acked.Count} acknowledged in {loadSeconds:0} s); draining…").ConfigureAwait(false);
                await load.DrainAsync(TimeSpan.FromMilliseconds(SoakJobs.TimeoutMs + (4 * options.LeaseMs) + 150_000)).ConfigureAwait(false);
                await WebhooksQuietAsync(receiver, time, faultsEnded, cancellationToken).ConfigureAwait(false);
                await load.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                faults = new Dictionary<string, int>(injector.Applied, StringComparer.Ordinal);
                figures = new LoadFigures(loadSeconds, load.Submitted, proxy.Resets);
                await progress.WriteLineAsync($"[{name}] stopping…").ConfigureAwait(false);
            }
        }

        soak.History.Dispose();
        var events = HistoryFiles.ReadDirectory(Path.Combine(directory, "events"));
        HistoryFiles.Write(Path.Combine(directory, "history.jsonl"), events);
        var check = new HistoryChecker(new CheckSettings(options.LeaseMs)).Check(events);
        var report = ReportWriter.Write(name, options, events, check, faults, figures, time.GetElapsedTime(started));
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), report, cancellationToken).ConfigureAwait(false);
        await progress.WriteLineAsync($"[{name}] {check.ViolationCount} violation(s); report: {Path.Combine(directory, "report.md")}").ConfigureAwait(false);
        return new SoakOutcome(directory, check, events);
    }

    /// <summary>Checks the history of an earlier run in <paramref name="directory"/> again and rewrites its report;
    /// returns the violation count.</summary>
    public static async Task<int> RecheckAsync(string directory, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var events = HistoryFiles.Read(Path.Combine(directory, "history.jsonl"));
        var settings = events.FirstOrDefault(e => e.Type == EventTypes.Note && e.Kind == "settings")?.Detail ?? string.Empty;
        long? Setting(string pattern) => System.Text.RegularExpressions.Regex.Match(settings, pattern) is
            { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        var defaults = new SoakOptions();
        var lease = (int)(Setting("lease (\\d+) ms") ?? defaults.LeaseMs);

        // The report names the run's own settings (from its history), not this command's defaults.
        var options = defaults with
        {
            LeaseMs = lease,
            Jobs = (int)(Setting("(\\d+) jobs over") ?? defaults.Jobs),
            Minutes = Setting("jobs over (\\d+) min") ?? defaults.Minutes,
            Seed = (int)(Setting("seed (\\d+)") ?? defaults.Seed),
        };
        var check = new HistoryChecker(new CheckSettings(lease)).Check(events);
        var faults = events.Where(e => e.Type == EventTypes.Fault).GroupBy(e => e.Kind!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var submits = events.Where(e => e.Type == EventTypes.Submit).ToList();
        var seconds = submits.Count == 0 ? 0 : (submits[^1].T - submits[0].T) / 1000.0;
        var report = ReportWriter.Write(Path.GetFileName(Path.GetFullPath(directory)), options, events, check, faults,
            new LoadFigures(seconds, submits.Select(e => e.Seq).Distinct().Count(), 0), TimeSpan.Zero);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), report).ConfigureAwait(false);
        foreach (var i in check.Invariants)
        {
            await progress.WriteLineAsync($"{i.Name}: checked {i.Checked}, {i.Violations.Count} violation(s)").ConfigureAwait(false);
        }

        return check.ViolationCount;
    }

    /// <summary>
    /// How long after the last fault a delivery may still be owed: a claim whose answer a store outage cut off is
    /// claimed again when it runs out (the dispatcher's request timeout, 10 s, plus 1 min), then sent.
    /// </summary>
    private static readonly TimeSpan LostClaimComesBack = TimeSpan.FromSeconds(85);

    /// <summary>Webhook retries come 10 s apart: wait until none has arrived for 25 s, and until a claim lost to the
    /// last fault has come back (<see cref="LostClaimComesBack"/>); at most 90 s past that.</summary>
    private static async Task WebhooksQuietAsync(
        WebhookReceiver receiver, TimeProvider time, long faultsEnded, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp();
        var last = receiver.Received;
        var quietSince = time.GetTimestamp();
        while (time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(90) + LostClaimComesBack
            && (time.GetElapsedTime(quietSince) < TimeSpan.FromSeconds(25)
                || time.GetElapsedTime(faultsEnded) < LostClaimComesBack))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            if (receiver.Received != last)
            {
                last = receiver.Received;
                quietSince = time.GetTimestamp();
            }
        }
    }
}

/// <summary>Figures of the load itself, for the report.</summary>
/// <param name="LoadSeconds">How long the submitting lasted.</param>
/// <param name="Submitted">Jobs the clients tried to submit.</param>
/// <param name="ProxyResets">Connections the proxy cut.</param>
public sealed record LoadFigures(double LoadSeconds, long Submitted, int ProxyResets);
