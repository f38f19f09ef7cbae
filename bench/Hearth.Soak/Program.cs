using Hearth.Soak;
using Hearth.Soak.Running;

// The chaos soak (issue 19, reliability.md R13): real control planes and worker processes under a steady mix of jobs
// while faults are injected; every client operation, worker action, webhook and fault goes to DIR/history.jsonl, and
// the history checker proves the invariants (DIR/report.md). Exit code 1 on any violation, 2 on bad arguments.
//   dotnet run -c Release --project bench/Hearth.Soak -- --jobs 2000 --minutes 2 --mode both --out /tmp/soak
//   dotnet run -c Release --project bench/Hearth.Soak -- --check /tmp/soak/dev     (re-check a run's history)
if (args is ["--check", var existing])
{
    // Re-checks a run's history (after a change to the checker): prints each invariant and rewrites report.md.
    return await SoakRunner.RecheckAsync(existing, Console.Out) == 0 ? 0 : 1;
}

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(e.Message + "\nUsage: Hearth.Soak --jobs N --minutes M --mode dev|serve|both --out DIR "
        + "[--seed S] [--lease-ms L] [--fault-every S] [--workers W] [--concurrency C] [--no-fault kind,...] "
        + "[--mix kind=weight,...] [--slow-ms FROM-TO]");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
var modes = options.Mode == "both" ? new[] { "dev", "serve" } : [options.Mode];
var violations = 0;
foreach (var mode in modes)
{
    var outcome = await SoakRunner.RunAsync(options, mode, Path.Combine(options.Out, mode), Console.Out, stop.Token);
    violations += outcome.Check.ViolationCount;
}

return violations == 0 ? 0 : 1;
