namespace Hearth.Store.Tests.Fixtures;

/// <summary>An embedded Garnet store in a temporary directory, shared by a test class.</summary>
public sealed class GarnetFixture : IDisposable
{
    public GarnetFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hearth-test-" + Guid.NewGuid().ToString("N"));
        Host = StoreHost.Open(new StoreOptions { DataDirectory = Directory, EmbeddedMemory = "64m", EmbeddedIndex = "8m" });
    }

    public string Directory { get; }

    public StoreHost Host { get; }

    public void Dispose()
    {
        Host.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
