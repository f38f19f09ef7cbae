using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// Edges a newcomer meets with <c>hearth dev</c> and <c>serve</c>: a port already taken, or a store that does not
/// answer, is one line naming the cause and the fix (exit code 2, no stack trace); a <c>command:</c> in exec form runs a program whose path has a space and
/// an apostrophe; the printed <c>try:</c> line quotes the key so a shell expands <c>$HEARTH_API_KEY</c>.
/// </summary>
public sealed class DevStartEdgeTests
{
    [Fact]
    public async Task A_port_already_in_use_is_one_line_naming_the_port_and_the_flag()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dir = Directory.CreateTempSubdirectory("hearth-port-taken-").FullName;
        var yaml = Path.Combine(dir, "hearth.yaml");
        File.WriteAllText(yaml, "endpoints:\n  - name: idle\n    cpu: cpu3c-1-2\n    workers: [0, 1]\n    command: 'true'\n");
        try
        {
            using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
                ["dev", "--config", yaml, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "--data", Path.Combine(dir, "data"), "--api-key", "k"]);
            var code = await app.WaitForExitAsync(60);
            await app.OutputEndedAsync();

            Assert.Equal(2, code);
            var lines = app.Lines.Where(l => l.Trim().Length > 0).ToList();
            Assert.True(lines.Count == 1, $"expected one line, got:\n{app.Output}");
            Assert.Contains($"port {port} on 127.0.0.1 is already in use", lines[0], StringComparison.Ordinal);
            Assert.Contains($"--port {port + 1}", lines[0], StringComparison.Ordinal);
            Assert.Contains("--port 0", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_with_an_unreachable_store_is_one_line_naming_the_store_and_the_fix()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-store-down-").FullName;
        var yaml = Path.Combine(dir, "hearth.yaml");
        File.WriteAllText(yaml, "endpoints:\n  - name: idle\n    cpu: cpu3c-1-2\n    command: 'true'\n");
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // a port nothing listens on
        try
        {
            using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
                ["serve", "--config", yaml, "--store", $"redis://127.0.0.1:{port}", "--port", "0", "--api-key", "k",
                 "--admin-key", "a", "--worker-token", "w"]);
            var code = await app.WaitForExitAsync(60);
            await app.OutputEndedAsync();

            Assert.Equal(2, code);
            var lines = app.Lines.Where(l => l.Trim().Length > 0).ToList();
            Assert.True(lines.Count == 1, $"expected one line, got:\n{app.Output}");
            Assert.Contains($"Cannot connect to the store at redis://127.0.0.1:{port}", lines[0], StringComparison.Ordinal);
            Assert.Contains("leave --store out", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("abortConnect", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_exec_form_command_runs_a_program_whose_path_has_a_space_and_an_apostrophe()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-exec-form-").FullName;
        var folder = Path.Combine(dir, "my team's workers");
        Directory.CreateDirectory(folder);
        var worker = Path.Combine(folder, "worker.py");
        File.Copy(Path.Combine(WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py"), worker);
        var yaml = Path.Combine(dir, "hearth.yaml");
        File.WriteAllText(yaml, $$"""
            endpoints:
              - name: tools
                cpu: cpu3c-1-2
                workers: [1, 1]
                command: ["python3", "-u", "{{worker}}"]
            """);
        try
        {
            using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
                ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(dir, "data"), "--api-key", "k"]);
            var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
            await app.WaitForAsync("^Ready in", 60);
            await app.WaitForAsync(@"try: curl -s -H ""Authorization: Bearer \$HEARTH_API_KEY""", 10); // after Ready

            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k");
            using var done = await client.PostAsync("/v2/tools/runsync", TestServer.Json("""{"input":{"n":7}}"""));
            var body = JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
            Assert.Equal("COMPLETED", (string?)body["status"]);
            Assert.Equal(7, (int?)body["output"]!["n"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
