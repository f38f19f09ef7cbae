using System.CommandLine;
using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Scaling.Gpus;
using Hearth.Worker;

namespace Hearth.App.Nodes;

/// <summary><c>hearth node</c>: the agent that runs the workers the control plane places on this machine.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server")
        {
            Description = "The control plane's URL (a replica, or the load balancer in front of them); workers on this "
                + "node reach it there too.",
            Required = true,
        };
        var token = new Option<string?>("--token")
        {
            Description = "The node token 'hearth serve' printed or was given (env HEARTH_NODE_TOKEN).",
        };
        var gpus = new Option<string?>("--gpus")
        {
            Description = "This node's GPUs: auto (nvidia-smi, the default) or a declared inventory such as \"NVIDIA "
                + "A100 80GB PCIe:2\".",
        };
        var datacenter = new Option<string?>("--datacenter") { Description = "This node's data center, e.g. US-GA-2." };
        var name = new Option<string?>("--name")
        {
            Description = "The node's name (default: the host name); unique among nodes.",
        };
        var command = new Command("node", """
            Run a node agent: register this machine's inventory (CPU cores, memory, GPUs with VRAM, data center) with
            the control plane, heartbeat, and run the worker processes the scheduler places here (stopping those it
            removes). A node that stops heartbeating is marked lost and its workers are replaced on other nodes.

            Example:
              hearth node --server http://10.0.0.5:8080 --token $HEARTH_NODE_TOKEN --gpus auto --datacenter US-GA-2
            """) { server, token, gpus, datacenter, name };
        command.SetAction(async (parse, ct) =>
        {
            var secret = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("HEARTH_NODE_TOKEN");
            if (string.IsNullOrWhiteSpace(secret))
            {
                await Console.Error.WriteLineAsync("hearth node: no node token; pass --token or set HEARTH_NODE_TOKEN "
                    + "(hearth serve prints one at start).").ConfigureAwait(false);
                return 2;
            }

            var url = parse.GetValue(server)!.TrimEnd('/');
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync(
                    $"hearth node: --server '{url}' is not an http(s) URL; e.g. http://10.0.0.5:8080.")
                    .ConfigureAwait(false);
                return 2;
            }

            var (inventory, problem) = await InventoryAsync(parse.GetValue(gpus), parse.GetValue(datacenter),
                parse.GetValue(name), ct).ConfigureAwait(false);
            if (inventory is null)
            {
                await Console.Error.WriteLineAsync($"hearth node: {problem}").ConfigureAwait(false);
                return 2;
            }

            using var signal = new ShutdownSignal(ct);
            await using var agent = new NodeAgent(url, secret, inventory, Console.Out, TimeProvider.System);
            await agent.RunAsync(signal.Token).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task<(NodeInventory? Inventory, string? Problem)> InventoryAsync(
        string? gpus, string? datacenter, string? name, CancellationToken cancellationToken)
    {
        if (datacenter is not null && DataCenters.Normalize(datacenter) is null)
        {
            return (null, $"--datacenter '{datacenter}' is not a known data "
                + $"center; use one of {string.Join(", ", DataCenters.All)}.");
        }

        IReadOnlyList<GpuDevice> devices;
        if (gpus is not null && !string.Equals(gpus, "auto", StringComparison.OrdinalIgnoreCase))
        {
            var (declared, bad) = DeclaredGpus.Read(gpus);
            if (bad.Count > 0)
            {
                return (null, $"--gpus '{gpus}': {string.Join("; ", bad)}. Write it as \"NVIDIA A100 80GB PCIe:2, "
                    + "NVIDIA GeForce RTX 4090:4\".");
            }

            devices = declared;
        }
        else
        {
            devices = (await NvidiaSmi.ProbeAsync(cancellationToken).ConfigureAwait(false)).Gpus;
        }

        return (LocalInventory.Build(devices, datacenter,
            string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name), null);
    }
}
