using Hearth.Store.Jobs;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hearth.Store.Tests.Conformance;

/// <summary>Only the control plane that owns a data directory can use its embedded store.</summary>
public sealed class EmbeddedAccessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-access-" + Guid.NewGuid().ToString("N"));

    private StoreOptions Options => new() { DataDirectory = _dir, EmbeddedMemory = "32m", EmbeddedIndex = "4m" };

    [Fact]
    public async Task A_client_without_the_store_password_is_refused()
    {
        using var host = StoreHost.Open(Options);
        Assert.True(await host.Store.SubmitAsync("ep", new NewJob("secret-job", "{\"input\":1}", 1, 86_400_000, 600_000, 1_800_000, false, null)));

        var port = host.Embedded!.Port;
        Assert.StartsWith("-NOAUTH", await RawCommandAsync(port, "HGET", "hearth:{ep}:st", "secret-job"), StringComparison.Ordinal);
        Assert.StartsWith("-", await RawCommandAsync(port, "AUTH", "guess"), StringComparison.Ordinal);
        Assert.StartsWith("-NOAUTH", await RawCommandAsync(port, "FLUSHALL"), StringComparison.Ordinal);

        // The password file is readable by its owner only.
        var file = Path.Combine(_dir, "store.password");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.NotNull(await host.Store.GetAsync("ep", "secret-job"));
    }

    [Fact]
    public void A_second_store_on_the_same_directory_is_refused_with_the_fix()
    {
        using var first = StoreHost.Open(Options);
        var e = Assert.Throws<StoreConfigurationException>(() => StoreHost.Open(Options));
        Assert.Contains("in use by another running Hearth", e.Message, StringComparison.Ordinal);
        Assert.Contains("--data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_password_file_is_named_with_the_fix()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "store.password"), "short");
        var e = Assert.Throws<StoreConfigurationException>(() => StoreHost.Open(Options));
        Assert.Contains(Path.Combine(_dir, "store.password"), e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Sends one command in RESP over a plain socket, as any local process could, and returns the first reply line.</summary>
    private static async Task<string> RawCommandAsync(int port, params string[] parts)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var command = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(timeout.Token) ?? string.Empty;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
