using Hearth.App.Config;
using Hearth.App.Hosting;
using Hearth.Core.Endpoints;
using Hearth.Core.Wire;

namespace Hearth.App.Tests.Config;

/// <summary><c>protocol: pull | push</c>: read, validated, and turned into the worker's launch.</summary>
public sealed class HearthYamlProtocolTests
{
    private const string Command = "    command: python3 handler.py\n";

    [Theory]
    [InlineData("pull", WorkerProtocol.Pull)]
    [InlineData("Push", WorkerProtocol.Push)]
    public void Protocol_is_read(string written, WorkerProtocol expected)
    {
        var result = HearthYaml.Load($"endpoints:\n  - name: rp\n    protocol: {written}\n{Command}", "hearth.yaml");
        Assert.Empty(result.Problems);
        Assert.Equal(expected, Assert.Single(result.Endpoints).Protocol);
    }

    [Fact]
    public void Protocol_defaults_to_pull() =>
        Assert.Equal(WorkerProtocol.Pull,
            Assert.Single(HearthYaml.Load($"endpoints:\n  - name: rp\n{Command}", "hearth.yaml").Endpoints).Protocol);

    [Fact]
    public void An_unknown_protocol_lists_the_allowed_values()
    {
        var problem = Assert.Single(
            HearthYaml.Load($"endpoints:\n  - name: rp\n    protocol: psh\n{Command}", "hearth.yaml").Problems);
        Assert.Equal("endpoints[0].protocol", problem.Path);
        Assert.Contains("did you mean 'push'?", problem.Fix, StringComparison.Ordinal);
        Assert.Contains("pull", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_needs_a_command()
    {
        var problem = Assert.Single(HearthYaml.Load("endpoints:\n  - name: rp\n    protocol: push\n", "hearth.yaml")
            .Problems);
        Assert.Equal("endpoints[0].protocol", problem.Path);
        Assert.Contains("command", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_push_endpoint_launches_the_bridge_with_the_command_in_its_environment()
    {
        var spec = new EndpointSpec { Name = "rp", Command = "python3 handler.py", Protocol = WorkerProtocol.Push };
        var env = WorkerEnvironment.ForEndpoint(spec, v => v);

        var launch = WorkerCommandLine.For("rp-1", "rp", spec.Command, env, null);

        Assert.Equal(["worker", "--endpoint", "rp", "--bridge"], launch.Arguments.TakeLast(4));
        Assert.Equal("python3 handler.py", launch.Environment[WorkerVariables.BridgeCommand]);
    }

    [Fact]
    public void A_pull_endpoint_runs_its_command_itself()
    {
        var spec = new EndpointSpec { Name = "rp", Command = "python3 handler.py" };
        var env = WorkerEnvironment.ForEndpoint(spec, v => v);

        var launch = WorkerCommandLine.For("rp-1", "rp", spec.Command, env, null);

        Assert.Equal("/bin/sh", launch.FileName);
        Assert.Equal(["-c", "python3 handler.py"], launch.Arguments);
        Assert.False(launch.Environment.ContainsKey(WorkerVariables.BridgeCommand));
    }
}
