using System.CommandLine;
using System.Security.Cryptography;
using Hearth.Server.Hosting;
using Hearth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth serve</c>: runs the control plane.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var host = new Option<string>("--host") { Description = "Address to bind. Nothing listens beyond loopback unless you ask.", DefaultValueFactory = _ => "127.0.0.1" };
        var store = new Option<string>("--store") { Description = "'embedded' (Garnet in-process) or redis://host:port. Env: HEARTH_STORE.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_STORE") ?? StoreOptions.Embedded };
        var data = new Option<string>("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => ".hearth" };
        var apiKey = new Option<string?>("--api-key") { Description = "Client API key (env HEARTH_API_KEY); generated and printed when absent." };
        var adminKey = new Option<string?>("--admin-key") { Description = "Admin key (env HEARTH_ADMIN_KEY); generated when absent." };
        var workerToken = new Option<string?>("--worker-token") { Description = "Worker token for every endpoint (env HEARTH_WORKER_TOKEN); generated when absent." };
        var endpoints = new Option<string[]>("--endpoint") { Description = "An endpoint to serve, as name or name:executionTimeoutMs. Repeat for several.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("serve", "Run the control plane: client API, worker API, sweeper.\n\nExample:\n  hearth serve --port 8080 --endpoint echo --api-key $KEY\n  hearth serve --store redis://127.0.0.1:6379 --endpoint echo")
        {
            port, host, store, data, apiKey, adminKey, workerToken, endpoints,
        };
        command.SetAction((parse, ct) => RunAsync(
            new ServeSettings(
                parse.GetValue(port), parse.GetValue(host)!, parse.GetValue(store)!, parse.GetValue(data)!,
                parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("HEARTH_API_KEY"),
                parse.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("HEARTH_ADMIN_KEY"),
                parse.GetValue(workerToken) ?? Environment.GetEnvironmentVariable("HEARTH_WORKER_TOKEN"),
                parse.GetValue(endpoints) ?? []),
            ct));
        return command;
    }

    private sealed record ServeSettings(int Port, string Host, string Store, string Data, string? ApiKey, string? AdminKey, string? WorkerToken, string[] Endpoints);

    private static async Task<int> RunAsync(ServeSettings s, CancellationToken cancellationToken)
    {
        var generated = s.ApiKey is null;
        var apiKey = s.ApiKey ?? NewKey("hk_");
        var adminKey = s.AdminKey ?? NewKey("ha_");
        var workerToken = s.WorkerToken ?? NewKey("hw_");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{s.Host}:{s.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Core.Jobs.JobLimits.MaxRunSyncBodyBytes);
        var hearth = builder.Services.AddHearthServer(o =>
        {
            foreach (var e in s.Endpoints)
            {
                var parts = e.Split(':', 2);
                var endpoint = new EndpointOptions { Name = parts[0] };
                if (parts.Length == 2 && long.TryParse(parts[1], out var ms))
                {
                    endpoint.ExecutionTimeoutMs = ms;
                }

                o.Endpoints.Add(endpoint);
            }

            o.ClientKeys.Add(new ClientKeyOptions { Key = apiKey });
            o.WorkerTokens.Add(new WorkerTokenOptions { Token = workerToken });
            o.AdminKey = adminKey;
        });
        if (string.Equals(s.Store, StoreOptions.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            hearth.UseEmbeddedStore(s.Data);
        }
        else
        {
            hearth.UseRedisStore(s.Store);
        }

        await using var app = builder.Build();
        app.MapHearth();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is StoreConfigurationException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"hearth serve: {e.Message}");
            return 2;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var storeHost = app.Services.GetRequiredService<StoreHost>();
        Console.WriteLine($"Hearth listening on {address}");
        Console.WriteLine($"  store:     {storeHost.Description}");
        Console.WriteLine($"  endpoints: {(s.Endpoints.Length == 0 ? "(none: pass --endpoint NAME)" : string.Join(", ", s.Endpoints))}");
        if (generated)
        {
            Console.WriteLine($"  API key:   {apiKey}   (set HEARTH_API_KEY to choose it)");
        }

        Console.WriteLine($"  try:       curl -s -H 'Authorization: Bearer {(generated ? apiKey : "$HEARTH_API_KEY")}' -d '{{\"input\":{{\"hello\":\"world\"}}}}' {address}/v2/{(s.Endpoints.Length > 0 ? s.Endpoints[0].Split(':')[0] : "ENDPOINT")}/runsync");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static string NewKey(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
