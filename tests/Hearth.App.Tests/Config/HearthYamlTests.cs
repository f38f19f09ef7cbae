using Hearth.App.Config;
using Hearth.Core.Endpoints;

namespace Hearth.App.Tests.Config;

public sealed class HearthYamlTests
{
    private const string SeedYaml = """
        # The seed article's research agent, as hearth.yaml.
        endpoints:
          - name: agent-orchestrator
            gpu: "NVIDIA A100 80GB PCIe"
            datacenter: US-GA-2
            workers: [3, 20]
            idle_timeout: 1800         # keep workers warm between session turns
            execution_timeout_ms: 120000
            volume:
              name: model-weights
              size: 50
              datacenter: US-GA-2
          - name: web-retrieval
            cpu: cpu5c-4-8
            workers: [0, 10]
            idle_timeout: 300
          - name: embedding-search
            gpu: "NVIDIA GeForce RTX 4090"
            workers: [1, 10]
        """;

    private static HearthYamlResult Load(string yaml) => HearthYaml.Load(yaml, "hearth.yaml");

    private static SpecProblem Find(HearthYamlResult result, string path)
    {
        var matches = result.Problems.Where(p => p.Path == path).ToList();
        Assert.True(matches.Count > 0, $"no problem at '{path}'; got:\n{string.Join("\n", result.Problems)}");
        return matches[0];
    }

    [Fact]
    public void The_seed_configuration_loads_with_no_problems()
    {
        var result = Load(SeedYaml);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
        Assert.Equal(["agent-orchestrator", "web-retrieval", "embedding-search"], result.Endpoints.Select(e => e.Name));

        var orchestrator = result.Endpoints[0];
        Assert.Equal(["NVIDIA A100 80GB PCIe"], orchestrator.Gpu);
        Assert.Equal("US-GA-2", orchestrator.Datacenter);
        Assert.Equal((3, 20), (orchestrator.WorkersMin, orchestrator.WorkersMax));
        Assert.Equal(TimeSpan.FromSeconds(1800), orchestrator.IdleTimeout);
        Assert.Equal(120_000, orchestrator.ExecutionTimeoutMs);
        Assert.Equal(new VolumeSpec("model-weights", 50, "US-GA-2"), orchestrator.Volume);
        Assert.False(orchestrator.IsCpu);

        var retrieval = result.Endpoints[1];
        Assert.Equal("cpu5c-4-8", retrieval.Cpu);
        Assert.True(retrieval.IsCpu);
        Assert.Equal((0, 10), (retrieval.WorkersMin, retrieval.WorkersMax));
        Assert.Equal(TimeSpan.FromSeconds(300), retrieval.IdleTimeout);

        var embedding = result.Endpoints[2];
        Assert.Equal(["NVIDIA GeForce RTX 4090"], embedding.Gpu);
        Assert.Equal((1, 10), (embedding.WorkersMin, embedding.WorkersMax));
        Assert.Equal(EndpointSpec.DefaultIdleTimeout, embedding.IdleTimeout);
        Assert.Null(embedding.ExecutionTimeoutMs);
    }

    [Fact]
    public void Every_field_is_read()
    {
        var result = Load("""
            endpoints:
              - name: chat
                type: load_balanced
                gpu: [ADA_24, AMPERE_24]
                gpu_count: 2
                workers: 4
                ttl_ms: 3600000
                scaler_value: 2.5
                datacenter: eu_ro_1
                env: {LOG_LEVEL: info, RETRIES: 3}
                flashboot: false
                model: {config: models/qwen/config.json, dtype: fp8, kv_dtype: fp8, max_context: 32768, concurrency: 4}
                command: python server.py
                health_path: /healthz
                concurrency: 8
                max_steps: 50
                session_idle_timeout: 7200
            """);

        Assert.Empty(result.Problems);
        var chat = Assert.Single(result.Endpoints);
        Assert.Equal(EndpointType.LoadBalanced, chat.Type);
        Assert.Equal(ScalerType.RequestCount, chat.ScalerType);
        Assert.Equal(["ADA_24", "AMPERE_24"], chat.Gpu);
        Assert.Equal(2, chat.GpuCount);
        Assert.Equal((0, 4), (chat.WorkersMin, chat.WorkersMax));
        Assert.Equal(3_600_000, chat.TtlMs);
        Assert.Equal(2.5, chat.ScalerValue);
        Assert.Equal("eu_ro_1", chat.Datacenter);
        Assert.Equal("info", chat.Env["LOG_LEVEL"]);
        Assert.Equal("3", chat.Env["RETRIES"]);
        Assert.False(chat.Flashboot);
        Assert.Equal(new ModelSpec("models/qwen/config.json", "fp8", "fp8", 32768, 4), chat.Model);
        Assert.Equal("python server.py", chat.Command);
        Assert.Equal("/healthz", chat.HealthPath);
        Assert.Equal(8, chat.Concurrency);
        Assert.Equal(50, chat.MaxSteps);
        Assert.Equal(TimeSpan.FromHours(2), chat.SessionIdle);
    }

    [Fact]
    public void A_command_list_is_the_exec_form_and_an_empty_one_is_refused()
    {
        var result = Load("""
            endpoints:
              - name: tools
                cpu: cpu3c-1-2
                command: ["python3", "-u", "my worker's.py"]
              - name: broken
                cpu: cpu3c-1-2
                command: []
            """);

        Assert.Equal("exec 'python3' '-u' 'my worker'\\''s.py'", result.Endpoints[0].Command);
        var empty = Find(result, "endpoints[1].command");
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("[\"python3\"", empty.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_mistakes_are_all_reported()
    {
        var result = Load("""
            endpoints:
              - name: Agent Orchestrator
                gpu: "NVIDIA A100 80GB"
                workers: [20, 3]
                idle_timeout: 7200
                gpus: any
                volume: {name: weights, size: 5}
              - name: web-retrieval
                cpu: cpu5c-4-8
              - name: web-retrieval
                cpu: cpu9z-4-8
                workers: "lots"
                datacenter: MARS-1
            """);

        var paths = result.Problems.Select(p => p.Path).ToList();
        Assert.Equal(
            [
                "endpoints[0].gpus", "endpoints[0].name", "endpoints[0].gpu", "endpoints[0].workers", "endpoints[0].idle_timeout",
                "endpoints[0].volume.size", "endpoints[2].workers", "endpoints[2].name", "endpoints[2].cpu", "endpoints[2].datacenter",
            ],
            paths);
        Assert.Contains("'NVIDIA A100 80GB PCIe'", Find(result, "endpoints[0].gpu").Fix, StringComparison.Ordinal);
        Assert.Contains("'gpu'", Find(result, "endpoints[0].gpus").Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_says_where_it_looked_and_how_to_create_one()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-missing-{Guid.NewGuid():N}", "hearth.yaml");
        var result = HearthYaml.LoadFile(path);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains("file not found", problem.Message, StringComparison.Ordinal);
        Assert.Contains("endpoints:", problem.Fix, StringComparison.Ordinal);
        Assert.Empty(result.Endpoints);
    }

    [Fact]
    public void A_file_on_disk_loads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, SeedYaml);
        try
        {
            var result = HearthYaml.LoadFile(path);
            Assert.Empty(result.Problems);
            Assert.Equal(3, result.Endpoints.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
