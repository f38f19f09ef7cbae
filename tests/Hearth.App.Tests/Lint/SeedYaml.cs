namespace Hearth.App.Tests.Lint;

/// <summary>The seed article's research-agent pipeline (orchestrator + tooling layer) as hearth.yaml, and broken versions of it.</summary>
internal static class SeedYaml
{
    public const string Production = """
        tracing:
          otlp_endpoint: http://localhost:4317
        endpoints:
          - name: agent-orchestrator
            gpu: "NVIDIA A100 80GB PCIe"
            datacenter: US-GA-2
            workers: [3, 20]
            idle_timeout: 1800
            execution_timeout_ms: 120000
            volume: {name: model-weights, size: 50, datacenter: US-GA-2}
            latency: realtime
            command: python orchestrator.py
          - name: web-retrieval
            cpu: cpu5c-4-8
            workers: [0, 10]
            idle_timeout: 300
            execution_timeout_ms: 30000
            latency: batch
            command: python scrape.py
          - name: embedding-search
            gpu: "NVIDIA GeForce RTX 4090"
            workers: [1, 10]
            execution_timeout_ms: 30000
            command: python embed.py
        """;

    /// <summary>The mistakes of the done-when: 'any', workers (0, n) on the real-time endpoint, no timeout, an inline API key.</summary>
    public const string Broken = """
        tracing:
          otlp_endpoint: http://localhost:4317
        endpoints:
          - name: agent-orchestrator
            gpu: any
            datacenter: US-GA-2
            workers: [0, 20]
            idle_timeout: 1800
            volume: {name: model-weights, size: 50, datacenter: US-GA-2}
            latency: realtime
            env:
              OPENAI_API_KEY: sk-live-0123456789abcdefghijklmnop
              LOG_LEVEL: info
            command: python orchestrator.py
          - name: web-retrieval
            cpu: cpu5c-4-8
            workers: [0, 10]
            idle_timeout: 300
            execution_timeout_ms: 0
            latency: batch
            command: python scrape.py
        """;

    public const string InlineKey = "sk-live-0123456789abcdefghijklmnop";
}
