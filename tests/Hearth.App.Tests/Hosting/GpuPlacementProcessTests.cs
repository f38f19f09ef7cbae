using System.Net.Http.Headers;
using System.Text.Json;
using Hearth.Client;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>GPU endpoints in dev: a declared inventory places workers on cards (or throttles them); no GPU means CPU fallback.</summary>
public sealed class GpuPlacementProcessTests
{
    private static string Yaml(string gpu)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-gpu-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$"""
            endpoints:
              - name: infer
                gpu: "{{gpu}}"
                workers: [1, 2]
                execution_timeout_ms: 60000
                command: python3 -u {{Path.Combine(WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py")}}
            """);
        return path;
    }

    private static AppProcess Dev(string yaml, params string[] extra) =>
        AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "hearth-gpu-" + Guid.NewGuid().ToString("N")), "--api-key", "k", "--admin-key", "a", .. extra]);

    private static async Task<string?> EnvAsync(string address, string name)
    {
        using var client = new HearthClient(new Uri(address + "/v2"), "k");
        var result = await client.Endpoint("infer").RunSyncAsync<JsonElement, JsonElement>(JsonSerializer.SerializeToElement(new { echo_env = name }));
        Assert.True(result.IsCompleted, result.Error);
        return result.Output.GetProperty("env").GetString();
    }

    [Fact]
    public async Task A_worker_on_a_declared_card_gets_CUDA_VISIBLE_DEVICES()
    {
        using var app = Dev(Yaml("NVIDIA GeForce RTX 4090"), "--gpus", "NVIDIA GeForce RTX 4090:2");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        Assert.Equal("0", await EnvAsync(address, "CUDA_VISIBLE_DEVICES"));
    }

    [Fact]
    public async Task A_gpu_type_the_host_lacks_throttles_the_endpoint_with_the_reason()
    {
        using var app = Dev(Yaml("NVIDIA A100 80GB PCIe"), "--gpus", "NVIDIA GeForce RTX 4090:1");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "a");
        var throttled = await Eventually.ValueAsync(async () =>
        {
            var e = JsonDocument.Parse(await admin.GetStringAsync("/api/endpoints/infer")).RootElement;
            return e.GetProperty("state").GetString() == "Throttled" ? e.GetProperty("reason").GetString() : null;
        }, "the endpoint to be throttled");
        Assert.Contains("NVIDIA A100 80GB PCIe", throttled);
        Assert.Contains("NVIDIA GeForce RTX 4090", throttled);
    }

    [Fact]
    public async Task Without_a_gpu_dev_runs_gpu_endpoints_on_cpu_and_says_so()
    {
        using var app = Dev(Yaml("NVIDIA A100 80GB PCIe"));
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("run on CPU in dev");
        await app.WaitForAsync("^Ready in");
        Assert.Equal("cpu", await EnvAsync(address, "HEARTH_GPU_FALLBACK"));
    }
}
