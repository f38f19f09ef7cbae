using System.Net;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Client.Tests;

/// <summary>Non-200 answers of a real control plane become a <see cref="HearthApiException"/> carrying the server's error and hint.</summary>
public sealed class ClientErrorTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    public sealed record Work(string Name);

    [Fact]
    public async Task An_unknown_job_raises_404_with_error_and_hint()
    {
        await using var h = await ClientHarness.StartAsync(store, "missing", withWorker: false);

        var e = await Assert.ThrowsAsync<HearthApiException>(() => h.Endpoint.StatusAsync<Work>("no-such-job"));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Contains("no-such-job", e.Error, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Hint));
        Assert.Contains($"GET /v2/{h.Endpoint.Name}/status/no-such-job answered 404", e.Message, StringComparison.Ordinal);
        Assert.Contains(e.Hint!, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_endpoint_raises_404()
    {
        await using var h = await ClientHarness.StartAsync(store, "known", withWorker: false);

        var e = await Assert.ThrowsAsync<HearthApiException>(() => h.Client.Endpoint("nope").HealthAsync());

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(e.Error));
    }

    [Fact]
    public async Task A_policy_out_of_range_raises_400_naming_the_field_and_the_fix()
    {
        await using var h = await ClientHarness.StartAsync(store, "bad", withWorker: false);
        var options = new RunOptions { ExecutionTimeout = TimeSpan.FromMilliseconds(10) };

        var e = await Assert.ThrowsAsync<HearthApiException>(() => h.Endpoint.RunAsync(new Work("x"), options));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("policy.executionTimeout", e.Error, StringComparison.Ordinal);
        Assert.Contains("60000", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_raises_401_and_retrying_a_completed_job_409()
    {
        await using var h = await ClientHarness.StartAsync(store, "auth");
        using var stranger = new HearthClient(new Uri(h.Server.BaseUrl + "/v2"), "nope");

        var unauthorized = await Assert.ThrowsAsync<HearthApiException>(() => stranger.Endpoint(h.Endpoint.Name).RunAsync(new Work("x")));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("Authorization", unauthorized.Hint, StringComparison.Ordinal);

        var done = await h.AdvanceUntilAsync(h.Endpoint.RunSyncAsync<Work, Work>(new Work("fine")));
        var conflict = await Assert.ThrowsAsync<HearthApiException>(() => h.Endpoint.RetryAsync(done.Id));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("COMPLETED", conflict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_policy_within_range_is_accepted_by_the_server()
    {
        await using var h = await ClientHarness.StartAsync(store, "policy", withWorker: false);
        var options = new RunOptions { ExecutionTimeout = TimeSpan.FromSeconds(30), Ttl = TimeSpan.FromMinutes(5), LowPriority = true, S3Config = new { bucketName = "b" } };

        var handle = await h.Endpoint.RunAsync(new Work("x"), options);

        Assert.Equal("IN_QUEUE", handle.Status);
    }
}
