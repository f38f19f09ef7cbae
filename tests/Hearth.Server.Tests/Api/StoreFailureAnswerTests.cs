using Hearth.Server.Auth;
using Hearth.Store;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Tests.Api;

/// <summary>How store refusals are answered: a stalled commit is 503 with Retry-After, a full disk 507 without it.</summary>
public sealed class StoreFailureAnswerTests
{
    [Fact]
    public async Task A_stalled_commit_is_503_with_retry_after_and_a_hint_naming_the_data_directory()
    {
        var (status, retryAfter, body) = await AnswerAsync(StoreRefusedException.CommitStalled("/var/lib/hearth", TimeSpan.FromSeconds(5)));
        Assert.Equal(503, status);
        Assert.Equal("5", retryAfter);
        Assert.Contains("within 5 s", body, StringComparison.Ordinal);
        Assert.Contains("/var/lib/hearth", body, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_disk_is_507_without_retry_after()
    {
        var (status, retryAfter, body) = await AnswerAsync(StoreRefusedException.DiskFull("/var/lib/hearth", "its disk has 1 GiB free"));
        Assert.Equal(507, status);
        Assert.Null(retryAfter);
        Assert.Contains("its disk has 1 GiB free", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_is_503_with_retry_after()
    {
        var (status, retryAfter, _) = await AnswerAsync(new StackExchange.Redis.RedisTimeoutException(default(StackExchange.Redis.CommandFlags), "slow", default));
        Assert.Equal(503, status);
        Assert.Equal("5", retryAfter);
    }

    private static async Task<(int Status, string? RetryAfter, string Body)> AnswerAsync(Exception e)
    {
        var answer = StoreFailure.Answer(e);
        Assert.NotNull(answer);
        var http = new DefaultHttpContext();
        using var stream = new MemoryStream();
        http.Response.Body = stream;
        await answer.ExecuteAsync(http);
        var retry = http.Response.Headers.RetryAfter;
        return (http.Response.StatusCode, retry.Count == 0 ? null : retry.ToString(), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
