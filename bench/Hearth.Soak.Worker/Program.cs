using System.Runtime.InteropServices;
using System.Text.Json;
using Hearth.Soak.Worker;
using Hearth.Worker;

// The soak's worker: a real Hearth worker process (the C# SDK, unchanged) whose handlers obey the soak's job kinds
// and which writes its own history next to the soak's (SOAK_EVENTS). `main` serves the soak endpoint, `stream` the
// streaming one. With SOAK_PROXY=host:port its control-plane URLs go through the soak's chaos proxy instead.
var role = args.Length > 0 ? args[0] : "main";
var events = Environment.GetEnvironmentVariable("SOAK_EVENTS")
    ?? throw new InvalidOperationException("SOAK_EVENTS (the soak's event directory) is not set.");
var options = WorkerOptions.FromEnvironment();
if (Environment.GetEnvironmentVariable("SOAK_PROXY") is { Length: > 0 } proxy)
{
    ProxyUrls.Apply(options, proxy);
}

var pid = Environment.ProcessId;
Directory.CreateDirectory(Path.Combine(events, "pids"));
var pidFile = Path.Combine(events, "pids", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
using var log = new EventLog(Path.Combine(events, $"worker-{options.WorkerId}-{pid}.jsonl"), options.WorkerId, pid);
await File.WriteAllTextAsync(pidFile, options.WorkerId + " " + role);

var handlers = new SoakHandlers(log, TimeProvider.System);
var handler = role == "stream"
    ? JobHandler.Stream<JsonElement, JsonElement>(handlers.StreamAsync)
    : JobHandler.Create<JsonElement, JsonElement>(handlers.RunAsync);
var http = new RecordingHandler(log)
{
    InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
};
var worker = new HearthWorker(handler, options, TimeProvider.System, logger: null, httpHandler: http);
using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
{
    c.Cancel = true;
    stop.Cancel();
});
try
{
    await worker.RunAsync(stop.Token);
}
finally
{
    File.Delete(pidFile);
}
