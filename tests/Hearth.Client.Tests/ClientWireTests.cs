using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Client.Tests;

/// <summary>What the client sends and how it reads answers that are not Hearth's, with a stub handler instead of a server.</summary>
public sealed class ClientWireTests
{
    [Fact]
    public async Task Requests_carry_the_bearer_key_and_keep_the_v2_segment_of_the_base_url()
    {
        var stub = new StubHandler(HttpStatusCode.OK, """{"id":"j1","status":"IN_QUEUE"}""");
        using var http = new HttpClient(stub);
        using (var client = new HearthClient(new Uri("https://api.example.test/v2"), "k1", http))
        {
            var handle = await client.Endpoint("my ep").RunAsync(new { prompt = "hi" }, new RunOptions { Webhook = new Uri("https://hooks.example.test/x") });
            Assert.Equal(new JobHandle("j1", "IN_QUEUE"), handle);
        }

        Assert.Equal("https://api.example.test/v2/my%20ep/run", stub.LastUri!.AbsoluteUri);
        Assert.Equal("Bearer k1", stub.LastAuthorization);
        Assert.Equal("""{"input":{"prompt":"hi"},"webhook":"https://hooks.example.test/x"}""", stub.LastBody);

        // The caller's HttpClient survives the HearthClient.
        await http.GetAsync(new Uri("https://api.example.test/v2/x/health"));
    }

    [Fact]
    public async Task A_non_json_error_body_is_reported_raw()
    {
        var stub = new StubHandler(HttpStatusCode.BadGateway, "<html>upstream down</html>");
        using var client = new HearthClient(new Uri("https://api.example.test/v2/"), "k1", new HttpClient(stub));

        var e = await Assert.ThrowsAsync<HearthApiException>(() => client.Endpoint("ep").StatusAsync<object>("j1"));

        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Equal("<html>upstream down</html>", e.Error);
        Assert.Null(e.Hint);
        Assert.Equal("GET /v2/ep/status/j1 answered 502 BadGateway: <html>upstream down</html>", e.Message);
    }

    [Fact]
    public async Task A_runpod_status_body_reads_times_and_a_non_string_error()
    {
        var stub = new StubHandler(HttpStatusCode.OK, """{"id":"j1","status":"FAILED","delayTime":1500,"executionTime":20,"workerId":"","error":{"code":7}}""");
        using var client = new HearthClient(new Uri("https://api.example.test/v2"), "k1", new HttpClient(stub));

        var result = await client.Endpoint("ep").StatusAsync<string>("j1");

        Assert.True(result.IsFinal);
        Assert.False(result.IsCompleted);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), result.DelayTime);
        Assert.Equal(TimeSpan.FromMilliseconds(20), result.ExecutionTime);
        Assert.Equal("""{"code":7}""", result.Error);
        Assert.Null(result.Output);
    }

    [Fact]
    public async Task Policy_times_go_out_in_whole_milliseconds_and_s3Config_with_the_callers_options()
    {
        var stub = new StubHandler(HttpStatusCode.OK, """{"id":"j1","status":"IN_QUEUE"}""");
        using var client = new HearthClient(new Uri("https://api.example.test/v2"), "k1", new HttpClient(stub));
        var options = new RunOptions { ExecutionTimeout = TimeSpan.FromSeconds(30), Ttl = TimeSpan.FromMinutes(5), LowPriority = true, S3Config = new { BucketName = "b" } };

        await client.Endpoint("ep").RunAsync(42, options);

        Assert.Equal("""{"input":42,"policy":{"executionTimeout":30000,"ttl":300000,"lowPriority":true},"s3Config":{"bucketName":"b"}}""", stub.LastBody);
    }

    [Fact]
    public async Task Options_with_a_source_generated_context_serve_trimmed_and_aot_callers()
    {
        var stub = new StubHandler(HttpStatusCode.OK, """{"id":"j1","status":"COMPLETED","output":{"text":"hi"}}""");
        var json = new JsonSerializerOptions { TypeInfoResolver = TestJsonContext.Default };
        using var client = new HearthClient(new Uri("https://api.example.test/v2"), "k1", new HttpClient(stub), json);

        var result = await client.Endpoint("ep").RunSyncAsync<Prompt, Reply>(new Prompt("say hi"));

        Assert.Equal(new Reply("hi"), result.Output);
        Assert.Equal("""{"input":{"Text":"say hi"}}""", stub.LastBody);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.Endpoint("ep").RunAsync(new { Other = 1 }));
    }

    private sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public Uri? LastUri { get; private set; }

        public string? LastAuthorization { get; private set; }

        public string? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri;
            LastAuthorization = request.Headers.Authorization?.ToString();
            LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
        }
    }
}

public sealed record Prompt(string Text);

public sealed record Reply([property: JsonPropertyName("text")] string Text);

[JsonSerializable(typeof(Prompt))]
[JsonSerializable(typeof(Reply))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
