using System.Globalization;

namespace Hearth.Soak.Running;

/// <summary><c>hearth dev</c> on its embedded store, starting the soak's workers itself from a hearth.yaml
/// (<c>command:</c> endpoints), restarting those the injector kills.</summary>
internal sealed class DevPlane(SoakContext soak) : IControlPlane
{
    private readonly int _port = RedisServer.FreePort();
    private ChildProcess? _dev;

    public string Name => "dev";

    public IReadOnlyList<string> ClientUrls => [$"http://127.0.0.1:{_port}"];

    public IReadOnlyList<int> WorkerPorts() => [_port];

    public IReadOnlyList<string> PlaneFaults => [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = Path.Combine(soak.Directory, "hearth.yaml");
        await File.WriteAllTextAsync(config, Yaml(soak), cancellationToken).ConfigureAwait(false);
        _dev = ChildProcess.Start("dotnet",
            [SoakContext.HearthDll, "dev", "--config", config, "--port", _port.ToString(CultureInfo.InvariantCulture),
             "--data", Path.Combine(soak.Directory, "dev-data"), "--quiet"],
            soak.HearthEnvironment(), Path.Combine(soak.Directory, "hearth-dev.log"), soak.Directory);
        _dev.OnLine = line => WorkerLines.Record(soak.History, line);
        await _dev.WaitForAsync("Ready in", TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
    }

    public Task ApplyAsync(string kind, Random random, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"hearth dev has no plane fault {kind}.");

    /// <summary>The soak's two endpoints, their workers the soak worker through the chaos proxy.</summary>
    public static string Yaml(SoakContext soak)
    {
        var o = soak.Options;
        var worker = SoakContext.WorkerDll;
        return $"""
            endpoints:
              - name: soak
                cpu: cpu3c-1-2
                workers: [{o.Workers}, {o.Workers}]
                idle_timeout: 3600
                execution_timeout_ms: {SoakJobs.TimeoutMs}
                concurrency: {o.Concurrency}
                protocol: pull
                command: dotnet {worker} main
              - name: soak-stream
                cpu: cpu3c-1-2
                workers: [1, 1]
                idle_timeout: 3600
                execution_timeout_ms: {SoakJobs.TimeoutMs}
                concurrency: {o.Concurrency}
                protocol: pull
                command: dotnet {worker} stream

            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dev is not null)
        {
            // SIGTERM drains: the workers stop and hand back what they hold.
            await _dev.StopAsync(TimeSpan.FromSeconds(40)).ConfigureAwait(false);
            _dev.Dispose();
        }
    }
}
