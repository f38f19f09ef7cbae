using Hearth.Store;

namespace Hearth.Server.Tests.Fixtures;

/// <summary>One embedded Garnet store per test class; tests use unique endpoint names so they never share jobs.</summary>
public sealed class GarnetStoreFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-server-test-" + Guid.NewGuid().ToString("N"));

    public GarnetStoreFixture() => Host = StoreHost.Open(new StoreOptions { DataDirectory = _directory, EmbeddedMemory = "64m", EmbeddedIndex = "8m" });

    public StoreHost Host { get; }

    public static string UniqueEndpoint(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public void Dispose()
    {
        Host.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
