using Hearth.App.Config;
using Hearth.App.Hosting;
using Hearth.Core.Endpoints;
using Hearth.Core.Wire;

namespace Hearth.App.Tests.Config;

/// <summary><c>protocol: auto | pull | push</c>: read, validated, and turned into the worker's launch.</summary>
public sealed class HearthYamlProtocolTests
{
    private const string Command = "    command: python3 handler.py\n";

    [Theory]
    [InlineData("auto", WorkerProtocol.Auto)]
    [InlineData("pull", WorkerProtocol.Pull)]
    [InlineData("Push", WorkerProtocol.Push)]
    public void Protocol_is_read(string written, WorkerProtocol expected)
    {
        var result = HearthYaml.Load($"endpoints:\n  - name: rp\n    protocol: {written}\n{Command}", "hearth.yaml");
        Assert.Empty(result.Problems);
        Assert.Equal(expected, Assert.Single(result.Endpoints).Protocol);
    }

    [Fact]
    public void Protocol_defaults_to_auto() =>
        Assert.Equal(WorkerProtocol.Auto,
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
    public void An_auto_endpoint_settled_on_push_launches_the_bridge()
    {
        var spec = new EndpointSpec { Name = "rp", Command = "python3 handler.py" };
        var env = WorkerEnvironment.ForEndpoint(spec, v => v, WorkerProtocol.Push);

        var launch = WorkerCommandLine.For("rp-1", "rp", spec.Command, env, null);

        Assert.Equal(["worker", "--endpoint", "rp", "--bridge"], launch.Arguments.TakeLast(4));
    }

    [Theory]
    [InlineData(WorkerProtocol.Auto)] // before it settles
    [InlineData(WorkerProtocol.Pull)]
    public void A_pull_endpoint_runs_its_command_itself(WorkerProtocol protocol)
    {
        var spec = new EndpointSpec { Name = "rp", Command = "python3 handler.py", Protocol = protocol };
        var env = WorkerEnvironment.ForEndpoint(spec, v => v);

        var launch = WorkerCommandLine.For("rp-1", "rp", spec.Command, env, null);

        Assert.Equal("/bin/sh", launch.FileName);
        Assert.Equal(["-c", "python3 handler.py"], launch.Arguments);
        Assert.False(launch.Environment.ContainsKey(WorkerVariables.BridgeCommand));
    }
}
