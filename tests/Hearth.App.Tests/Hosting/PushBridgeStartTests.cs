namespace Hearth.App.Tests.Hosting;

/// <summary>A <c>protocol: push</c> command that is not a runpod-python worker: the bridge says why, with its
/// output. Needs no SDK.</summary>
public sealed class PushBridgeStartTests
{
    [Fact]
    public async Task A_push_command_that_exits_before_serving_is_reported_with_its_stderr()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-push-start-").FullName;
        var yaml = Path.Combine(dir, "hearth.yaml");
        await File.WriteAllTextAsync(yaml, """
            endpoints:
              - name: notsdk
                cpu: cpu3c-1-2
                workers: [1, 1]
                protocol: push
                command: "echo 'no runpod here' >&2; exit 4"
            """);
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(dir, "data"), "--api-key", "k"]);

        await app.WaitForAsync("exited before its realtime server answered.*code 4", 60);
        await app.WaitForAsync("no runpod here", 10);
    }
}
