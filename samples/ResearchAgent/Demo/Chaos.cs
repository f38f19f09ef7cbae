using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ResearchAgent.Demo;

/// <summary><c>--chaos</c>: kills (SIGKILL) the orchestrator worker running the job, found through the admin API.</summary>
internal sealed class Chaos(string address, string adminKey) : IDisposable
{
    private readonly HttpClient _admin = new() { BaseAddress = new Uri(address) };

    /// <summary>Kills the agent-orchestrator worker that is running a job; returns "id (pid N)", or null when none is running yet.</summary>
    public async Task<string?> KillRunningOrchestratorAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/endpoints/{ResearchEndpoints.Orchestrator}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await _admin.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).RootElement;
        foreach (var worker in body.GetProperty("workers").EnumerateArray())
        {
            if (worker.GetProperty("state").GetString() == "Running" && worker.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var id))
            {
                using var process = Process.GetProcessById(id);
                process.Kill(); // SIGKILL: no drain, no goodbye — a lost node
                var name = worker.TryGetProperty("id", out var w) ? w.GetString() : worker.TryGetProperty("workerId", out w) ? w.GetString() : "worker";
                return $"{name} (pid {id})";
            }
        }

        return null;
    }

    public void Dispose() => _admin.Dispose();
}
