using System.Security.Cryptography;
using Hearth.Store;

namespace Hearth.App.Hosting;

/// <summary>Options shared by <c>dev</c> and <c>serve</c>, as parsed from the command line and environment.</summary>
public sealed record AppSettings
{
    /// <summary>Port to listen on; 0 picks a free one. Default 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Bind address. Default 127.0.0.1: nothing listens beyond loopback unless asked.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary><c>embedded</c> (default) or <c>redis://host:port</c>.</summary>
    public string Store { get; init; } = StoreOptions.Embedded;

    /// <summary>Durability mode (<c>--durability</c>).</summary>
    public StoreDurability Durability { get; init; } = StoreDurability.FsyncAlways;

    /// <summary>Embedded store data directory. Default <c>.hearth</c>.</summary>
    public string Data { get; init; } = ".hearth";

    /// <summary>Embedded store log memory (<c>--store-memory</c>); null derives it from the machine.</summary>
    public string? StoreMemory { get; init; }

    /// <summary>Embedded store hash index (<c>--store-index</c>); null derives it from the memory.</summary>
    public string? StoreIndex { get; init; }

    /// <summary>Most disk the embedded store may use (<c>--store-max-disk</c>); null keeps only the free-space floor.</summary>
    public string? StoreMaxDisk { get; init; }

    /// <summary>Path of a hearth.yaml, or null.</summary>
    public string? Config { get; init; }

    /// <summary>Client API key; generated when null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Admin key; generated when null.</summary>
    public string? AdminKey { get; init; }

    /// <summary>One worker token for every endpoint (scripts, CI); null (default) issues one token per endpoint.</summary>
    public string? WorkerToken { get; init; }

    /// <summary>The node token <c>hearth node</c> agents authenticate with (<c>serve</c>); generated and printed when null.</summary>
    public string? NodeToken { get; init; }

    /// <summary>This host's GPUs: <c>auto</c> (default: nvidia-smi) or a declared inventory such as <c>"NVIDIA A100 80GB PCIe:2"</c>.</summary>
    public string? Gpus { get; init; }

    /// <summary>This host's data center (e.g. <c>US-GA-2</c>); null means none.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Less output: no worker log lines.</summary>
    public bool Quiet { get; init; }

    /// <summary>A new random key with a recognisable prefix (so secret scanners can find leaks).</summary>
    public static string NewKey(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
