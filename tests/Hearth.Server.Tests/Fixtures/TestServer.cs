using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Server.Hosting;
using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Server.Tests.Fixtures;

/// <summary>A real control plane on 127.0.0.1 (real Kestrel, real store) with a virtual clock the test
/// drives.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string ClientKey = "hk_test_client";
    public const string OtherClientKey = "hk_test_other";
    public const string WorkerToken = "hw_test_worker";
    public const string AdminKey = "ha_test_admin";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, FakeTimeProvider time, string baseUrl)
    {
        _app = app;
        Time = time;
        BaseUrl = baseUrl;
        Client = Http(ClientKey);
    }

    public FakeTimeProvider Time { get; }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public JobSweeper Sweeper => _app.Services.GetRequiredService<JobSweeper>();

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server on the store. With <paramref name="timers"/> the server's clock is that provider's, so a test
    /// can wait until a request has started waiting (created its timer) before it changes anything.
    /// </summary>
    public static async Task<TestServer> StartAsync(
        StoreHost store, Action<HearthServerOptions> configure, SignallingTimeProvider? timers = null,
        Action<WebApplication>? map = null, Action<Hearth.Server.Webhooks.WebhookOptions>? webhooks = null,
        TimeProvider? clock = null, Action<IServiceCollection>? services = null)
    {
        var start = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var time = timers?.Fake ?? new FakeTimeProvider(start);
        time.SetUtcNow(start);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(clock ?? timers ?? (TimeProvider)time);
        builder.Services.AddHearthServer(o =>
        {
            o.ClientKeys.Add(new ClientKeyOptions { Key = ClientKey });
            var other = new ClientKeyOptions { Key = OtherClientKey };
            other.Endpoints.Clear();
            other.Endpoints.Add("other");
            o.ClientKeys.Add(other);
            o.WorkerTokens.Add(new WorkerTokenOptions { Token = WorkerToken });
            o.AdminKey = AdminKey;
            configure(o);
        }).UseStore(store);
        builder.Services.Configure<Hearth.Server.Webhooks.WebhookOptions>(o =>
        {
            o.AllowedCidrs.Add("127.0.0.0/8");
            webhooks?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseHearth();
        app.MapHearth();
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, time, address);
    }

    public HttpClient Http(string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    public async Task<string> RunAsync(string endpoint, string body)
    {
        var response = await Client.PostAsync($"/v2/{endpoint}/run", Json(body));
        response.EnsureSuccessStatusCode();
        return (await ReadAsync(response))["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> StatusAsync(string endpoint, string id) =>
        await ReadAsync(await Client.GetAsync($"/v2/{endpoint}/status/{id}"));

    /// <summary>Waits (bounded) until a job's status satisfies a condition; the worker processes run on real
    /// time.</summary>
    public Task<JsonObject> WaitForAsync(string endpoint, string id, Func<JsonObject, bool> condition, int seconds = 20) =>
        Eventually.ValueAsync(async () => await StatusAsync(endpoint, id) is { } status && condition(status) ? status : null, $"job {id} to reach the expected state", seconds);

    /// <summary>
    /// Moves the virtual clock in small steps until <paramref name="pending"/> completes (a server-side wait elapses);
    /// bounded in real time, since the request itself runs on real sockets and threads.
    /// </summary>
    public async Task<T> AdvanceUntilAsync<T>(Task<T> pending, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!pending.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Advanced the virtual clock for {seconds} s of real time "
                    + $"(to {Time.GetUtcNow():O}); the request never completed.");
            }

            Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.WhenAny(pending, Task.Delay(10));
        }

        return await pending;
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static string Serialize(object value) => JsonSerializer.Serialize(value);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
