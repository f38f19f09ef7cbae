using System.Security.Cryptography;
using Hearth.Soak.Faults;
using Hearth.Soak.History;

namespace Hearth.Soak.Running;

/// <summary>What every part of one soak run shares: settings, where things go, keys, the history.</summary>
internal sealed class SoakContext(SoakOptions options, string directory, HistoryLog history, TimeProvider time)
{
    public SoakOptions Options { get; } = options;

    /// <summary>This run's directory (logs, data, events).</summary>
    public string Directory { get; } = directory;

    /// <summary>Where the workers write their events (and their pid files, under <c>pids/</c>).</summary>
    public string Events => Path.Combine(Directory, "events");

    public HistoryLog History { get; } = history;

    public TimeProvider Time { get; } = time;

    public string ApiKey { get; } = "hk_soak_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public string AdminKey { get; } = "ha_soak_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public string WorkerToken { get; } = "hw_soak_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public string WebhookSecret { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The chaos proxy the workers reach the control plane through (set once started).</summary>
    public ChaosProxy? Proxy { get; set; }

    /// <summary>The built soak worker.</summary>
    public static string WorkerDll => Built("bench/Hearth.Soak.Worker", "Hearth.Soak.Worker.dll");

    /// <summary>The built hearth CLI.</summary>
    public static string HearthDll => Built("src/Hearth.Cli", "hearth.dll");

    /// <summary>Environment every hearth process of the soak gets: the lease, the keys, and the webhook settings
    /// (allow the loopback receiver, one signing secret for every replica).</summary>
    public Dictionary<string, string> HearthEnvironment() => new(StringComparer.Ordinal)
    {
        ["HEARTH_LEASE_MS"] = Options.LeaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HEARTH_API_KEY"] = ApiKey,
        ["HEARTH_ADMIN_KEY"] = AdminKey,
        ["HEARTH_WORKER_TOKEN"] = WorkerToken,
        ["Webhooks__AllowedCidrs__0"] = "127.0.0.0/8",
        ["Webhooks__SigningSecret"] = WebhookSecret,
        ["SOAK_EVENTS"] = Events,
        ["SOAK_PROXY"] = Proxy?.Address ?? string.Empty,
        ["DOTNET_gcServer"] = "0",
    };

    /// <summary>The repository root (the directory holding Hearth.sln), found from this assembly's location.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hearth.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Hearth.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Built(string project, string assembly)
    {
        // bin/<Configuration>/net10.0/: the soak and what it runs are built in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepoRoot(), project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built (dotnet build -c {configuration}).");
    }
}
