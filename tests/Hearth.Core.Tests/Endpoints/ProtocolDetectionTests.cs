using Hearth.Core.Endpoints;

namespace Hearth.Core.Tests.Endpoints;

/// <summary>What settles a <c>protocol: auto</c> endpoint, from what its workers show.</summary>
public sealed class ProtocolDetectionTests
{
    private const string Sdk112 = "RunPod-Python-SDK/1.12.0 (Linux 6.1.0; x86_64) Language/Python 3.11.2";

    [Fact]
    public void A_result_from_runpod_python_1_12_settles_on_push()
    {
        var (protocol, reason) = ProtocolDetection.Decide(ProtocolDetection.Sign.Result, Sdk112);
        Assert.Equal(WorkerProtocol.Push, protocol);
        Assert.Equal("runpod-python 1.12.0, one job at a time, no streaming", reason);
    }

    [Theory]
    [InlineData(ProtocolDetection.Sign.Stream, "streams")]
    [InlineData(ProtocolDetection.Sign.BatchTake, "several jobs at once")]
    public void Streaming_or_batch_taking_runpod_python_stays_on_pull(ProtocolDetection.Sign sign, string why)
    {
        var (protocol, reason) = ProtocolDetection.Decide(sign, Sdk112);
        Assert.Equal(WorkerProtocol.Pull, protocol);
        Assert.Contains(why, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RunPod-Python-SDK/1.11.3 (Linux) Language/Python 3.10", "older than 1.12")]
    [InlineData("Hearth.Worker/1.0", "not runpod-python")]
    [InlineData("Python-urllib/3.11", "not runpod-python")]
    [InlineData(null, "not runpod-python")]
    public void Other_workers_stay_on_pull(string? userAgent, string why)
    {
        var (protocol, reason) = ProtocolDetection.Decide(ProtocolDetection.Sign.Result, userAgent);
        Assert.Equal(WorkerProtocol.Pull, protocol);
        Assert.Contains(why, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sdk_run_from_source_says_unknown_and_is_taken_as_current()
    {
        var (protocol, reason) = ProtocolDetection.Decide(ProtocolDetection.Sign.Result,
            "RunPod-Python-SDK/unknown (Linux 6.1.0; x86_64) Language/Python 3.11.2");
        Assert.Equal(WorkerProtocol.Push, protocol);
        Assert.Equal("runpod-python unknown, one job at a time, no streaming", reason);
    }

    [Theory]
    [InlineData(Sdk112, "1.12.0")]
    [InlineData("RunPod-Python-SDK/2.0 (Linux)", "2.0")]
    [InlineData("RunPod-Python-SDK/unknown (Linux)", null)]
    public void The_sdk_version_comes_from_the_start_of_its_user_agent(string userAgent, string? version)
    {
        var sdk = ProtocolDetection.RunpodPython(userAgent);
        Assert.NotNull(sdk);
        Assert.Equal(version, sdk.Value.Version?.ToString());
    }

    [Theory]
    [InlineData("runpod-python/0.0.0 (https://runpod.io)")]
    [InlineData("Mozilla/5.0 RunPod-Python-SDK/1.12.0")]
    public void Other_agents_are_not_the_sdk(string userAgent) => Assert.Null(ProtocolDetection.RunpodPython(userAgent));
}
