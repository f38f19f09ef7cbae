using System.CommandLine;
using Hearth.App.Endpoints;
using Hearth.Store;

namespace Hearth.App.Hosting;

/// <summary>The command line every Hearth app (and the <c>hearth</c> CLI) understands.</summary>
internal static class AppCommands
{
    public static RootCommand Build(IReadOnlyList<EndpointRegistration> endpoints)
    {
        var root = new RootCommand(
            "Hearth: a self-hosted serverless runtime for AI agents, with a Runpod-compatible API.")
        {
            Dev(endpoints),
            Serve(endpoints),
            Worker(endpoints),
            Nodes.NodeCommand.Create(),
            Plan.PlanCommand.Create(),
            Lint.LintCommand.Create(),
            Jobs.JobsCommand.Create(),
            Keys.KeysCommand.Create(),
        };
        return root;
    }

    private static Command Dev(IReadOnlyList<EndpointRegistration> endpoints)
    {
        var o = new CommonOptions(defaultPort: 8080);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the workers' log lines." };
        var command = new Command("dev", """
            Run everything on this machine: the control plane on the embedded store (no server to install) and the
            endpoints' workers as child processes. Ctrl-C or SIGTERM drains the workers and stops them all.

            Examples:
              hearth dev --config hearth.yaml
              dotnet run --project samples/Echo -- dev --port 8080 --data /tmp/hearth
            """);
        o.AddTo(command);
        command.Options.Add(quiet);
        command.SetAction((parse, ct) =>
            DevCommand.RunAsync(o.Read(parse) with { Quiet = parse.GetValue(quiet) }, endpoints, ct));
        return command;
    }

    private static Command Serve(IReadOnlyList<EndpointRegistration> endpoints)
    {
        var o = new CommonOptions(defaultPort: 8080);
        var nodeToken = new Option<string?>("--node-token")
        {
            Description = "The token node agents ('hearth node --token') authenticate with (env HEARTH_NODE_TOKEN); " +
                "generated and printed when absent. Give every replica the same one.",
        };
        var extra = new Option<string[]>("--endpoint")
        {
            Description = "Serve an endpoint with no definition (its workers connect from elsewhere): " +
                "name or name:executionTimeoutMs. Repeatable.",
        };
        var command = new Command("serve", """
            Run the control plane only; workers connect to it from anywhere over HTTP.

            Examples:
              hearth serve --config hearth.yaml --store redis://127.0.0.1:6379
              hearth serve --endpoint echo --api-key $KEY
              hearth serve --config hearth.yaml --store redis://10.0.0.5:6379 --host 0.0.0.0 --node-token $NODE_TOKEN

            With node agents registered ('hearth node'), the scheduler (one replica at a time) places the endpoints'
            workers on them; see docs/cluster.md.
            """);
        o.AddTo(command);
        command.Options.Add(extra);
        command.Options.Add(nodeToken);
        command.SetAction((parse, ct) => ServeCommand.RunAsync(
            o.Read(parse) with
            {
                NodeToken = parse.GetValue(nodeToken) ?? Environment.GetEnvironmentVariable("HEARTH_NODE_TOKEN"),
            },
            endpoints,
            parse.GetValue(extra) ?? [],
            ct));
        return command;
    }

    private static Command Worker(IReadOnlyList<EndpointRegistration> endpoints)
    {
        var name = new Option<string>("--endpoint")
        {
            Description = "The endpoint whose handler to run.",
            Required = true,
        };
        var bridge = new Option<bool>("--bridge")
        {
            Description = "Run the push bridge for the command in HEARTH_BRIDGE_COMMAND (protocol: push).",
        };
        var command = new Command("worker", """
            Run one worker for an endpoint of this app, pointed at a control plane by the Runpod worker environment
            (RUNPOD_WEBHOOK_GET_JOB, RUNPOD_WEBHOOK_POST_OUTPUT, RUNPOD_WEBHOOK_PING, RUNPOD_POD_ID, RUNPOD_AI_API_KEY).
            'dev' starts these for you.

            Example:
              RUNPOD_WEBHOOK_GET_JOB=... dotnet run --project samples/Echo -- worker --endpoint echo
            """) { name, bridge };
        command.SetAction(async (parse, ct) =>
        {
            var endpoint = parse.GetValue(name)!;
            if (parse.GetValue(bridge))
            {
                var user = Environment.GetEnvironmentVariable(Core.Wire.WorkerVariables.BridgeCommand);
                if (string.IsNullOrWhiteSpace(user))
                {
                    await Console.Error.WriteLineAsync(
                        $"--bridge needs the worker's command in {Core.Wire.WorkerVariables.BridgeCommand}.")
                        .ConfigureAwait(false);
                    return 2;
                }

                return await PushBridge.RunAsync(endpoint, user, ct).ConfigureAwait(false);
            }

            return await WorkerRole.RunAsync(endpoints, endpoint, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Options <c>dev</c> and <c>serve</c> share.</summary>
    private sealed class CommonOptions(int defaultPort)
    {
        private readonly Option<int> _port = new("--port")
        {
            Description = "Port to listen on (0 picks a free one).",
            DefaultValueFactory = _ => defaultPort,
        };

        private readonly Option<string> _host = new("--host")
        {
            Description = "Address to bind; nothing listens beyond loopback unless you ask.",
            DefaultValueFactory = _ => "127.0.0.1",
        };

        private readonly Option<string> _store = new("--store")
        {
            Description = "'embedded' or redis://host:port (env HEARTH_STORE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_STORE") ?? StoreOptions.Embedded,
        };

        private readonly Option<string> _data = new("--data")
        {
            Description = "Data directory of the embedded store.",
            DefaultValueFactory = _ => ".hearth",
        };

        private readonly Option<string?> _storeMemory = new("--store-memory")
        {
            Description = "Embedded store memory, e.g. 2g (env HEARTH_STORE_MEMORY): what stays hot; the rest is " +
                "kept on disk. Default: 1/16 of the machine's memory, 128m to 4g.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_STORE_MEMORY"),
        };

        private readonly Option<string?> _storeIndex = new("--store-index")
        {
            Description = "Embedded store hash index, e.g. 64m (env HEARTH_STORE_INDEX). " +
                "Default: 1/8 of the store memory.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_STORE_INDEX"),
        };

        private readonly Option<string?> _storeMaxDisk = new("--store-max-disk")
        {
            Description = "Most disk the embedded store may use, e.g. 50g (env HEARTH_STORE_MAX_DISK); past it new " +
                "jobs get 507. Default: until its disk has < 5 % or < 1 GiB free.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_STORE_MAX_DISK"),
        };

        private readonly Option<string?> _config = new("--config", "-c")
        {
            Description = "A hearth.yaml with endpoint definitions (default: ./hearth.yaml when present).",
        };

        private readonly Option<string?> _apiKey = new("--api-key")
        {
            Description = "Client API key (env HEARTH_API_KEY); generated and printed when absent.",
        };

        private readonly Option<string?> _adminKey = new("--admin-key")
        {
            Description = "Admin key (env HEARTH_ADMIN_KEY); generated when absent.",
        };

        private readonly Option<string[]> _trustedProxy = new("--trusted-proxy")
        {
            Description = "A proxy (IP address) whose X-Forwarded-For/-Proto headers are believed, besides loopback; "
                + "repeatable (env HEARTH_TRUSTED_PROXIES, comma-separated).",
        };

        private readonly Option<string?> _rateLimits = new("--rate-limits")
        {
            Description = "Client API rate limits per key and endpoint: runpod (Runpod's base limits, e.g. /run 1000 "
                + "per 10 s and 200 in flight; the default of serve) or off (the default of dev); env "
                + "HEARTH_RATE_LIMITS. See docs/security.md.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_RATE_LIMITS"),
            Validators =
            {
                r =>
                {
                    if (r.GetValueOrDefault<string?>() is { } v && v is not ("runpod" or "off"))
                    {
                        r.AddError($"--rate-limits '{v}' is not a setting; use runpod or off.");
                    }
                },
            },
        };

        private readonly Option<string?> _secretsFile = new("--secrets-file")
        {
            Description = "Write the keys and tokens generated at start to this file (mode 0600, KEY=value lines) "
                + "instead of printing them (env HEARTH_SECRETS_FILE).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_SECRETS_FILE"),
        };

        private readonly Option<string?> _webhookSecretFile = new("--webhook-secret-file")
        {
            Description = "A file holding the webhook signing secret (whsec_…), shared by every replica so receivers "
                + "can verify deliveries (env HEARTH_WEBHOOK_SECRET_FILE; or HEARTH_Webhooks__SigningSecret).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_WEBHOOK_SECRET_FILE"),
        };

        private readonly Option<string?> _gpus = new("--gpus")
        {
            Description = "This host's GPUs: auto (nvidia-smi, the default) or a declared inventory, e.g. " +
                "\"NVIDIA A100 80GB PCIe:2, NVIDIA GeForce RTX 4090:4\", so placement can be tried without the cards.",
        };

        private readonly Option<string?> _datacenter = new("--datacenter")
        {
            Description = "This host's data center, e.g. US-GA-2 " +
                "(volumes and endpoints pinned to another one are not placed here).",
        };

        private readonly Option<string> _durability = new("--durability")
        {
            Description = "fsync-always (default: nothing acknowledged is lost), fsync-everysec (~1 s loss window) " +
                "or memory (env HEARTH_DURABILITY); see docs/durability.md.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_DURABILITY") ?? "fsync-always",
            Validators =
            {
                r =>
                {
                    var value = r.GetValueOrDefault<string>();
                    if (StoreDurabilityNames.Parse(value) is null)
                    {
                        r.AddError($"--durability '{value}' is not a mode; " +
                            $"use one of {string.Join(", ", StoreDurabilityNames.All)}.");
                    }
                },
            },
        };

        private readonly Option<string?> _workerToken = new("--worker-token")
        {
            Description = "One worker token for every endpoint (env HEARTH_WORKER_TOKEN); " +
                "by default each endpoint gets its own.",
        };

        public void AddTo(Command command)
        {
            Option[] all =
            [
                _port, _host, _store, _durability, _data, _storeMemory, _storeIndex, _storeMaxDisk, _config, _apiKey,
                _adminKey, _workerToken, _trustedProxy, _rateLimits, _secretsFile,
                _webhookSecretFile, _gpus, _datacenter,
            ];
            foreach (var option in all)
            {
                command.Options.Add(option);
            }
        }

        public AppSettings Read(ParseResult parse) => new AppSettings
        {
            Port = parse.GetValue(_port),
            Host = parse.GetValue(_host)!,
            Store = parse.GetValue(_store)!,
            Durability = StoreDurabilityNames.Parse(parse.GetValue(_durability)) ?? StoreDurability.FsyncAlways,
            Data = parse.GetValue(_data)!,
            StoreMemory = parse.GetValue(_storeMemory),
            StoreIndex = parse.GetValue(_storeIndex),
            StoreMaxDisk = parse.GetValue(_storeMaxDisk),
            Config = parse.GetValue(_config) ?? (File.Exists("hearth.yaml") ? "hearth.yaml" : null),
            ApiKey = parse.GetValue(_apiKey) ?? Environment.GetEnvironmentVariable("HEARTH_API_KEY"),
            AdminKey = parse.GetValue(_adminKey) ?? Environment.GetEnvironmentVariable("HEARTH_ADMIN_KEY"),
            MetricsKey = Environment.GetEnvironmentVariable("HEARTH_METRICS_KEY"),
            RateLimits = parse.GetValue(_rateLimits),
            SecretsFile = parse.GetValue(_secretsFile),
            WebhookSecretFile = parse.GetValue(_webhookSecretFile),
            TrustedProxies = parse.GetValue(_trustedProxy) is { Length: > 0 } proxies ? proxies
                : (Environment.GetEnvironmentVariable("HEARTH_TRUSTED_PROXIES") ?? string.Empty)
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            WorkerToken = parse.GetValue(_workerToken) ?? Environment.GetEnvironmentVariable("HEARTH_WORKER_TOKEN"),
            Gpus = parse.GetValue(_gpus),
            Datacenter = parse.GetValue(_datacenter),
        }.WithEnvironmentKnobs(Environment.GetEnvironmentVariable);
    }
}
