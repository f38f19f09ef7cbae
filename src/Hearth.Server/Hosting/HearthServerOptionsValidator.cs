using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>Checks <see cref="HearthServerOptions"/> at start-up; each failure names the setting, the bad value and the
/// fix.</summary>
public sealed partial class HearthServerOptionsValidator : IValidateOptions<HearthServerOptions>
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex EndpointName();

    /// <summary>True when <paramref name="name"/> is a valid endpoint name.</summary>
    public static bool IsValidEndpointName(string name) => EndpointName().IsMatch(name);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HearthServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var proxy in options.TrustedProxies)
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _))
            {
                problems.Add($"TrustedProxies: '{proxy}' is not an IP address; give the proxy's address, e.g. "
                    + "10.0.0.5 (--trusted-proxy, or HEARTH_TRUSTED_PROXIES comma-separated).");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var e = options.Endpoints[i];
            if (!IsValidEndpointName(e.Name))
            {
                problems.Add($"Endpoints[{i}].Name '{e.Name}' is not a valid endpoint name: use 1-64 lowercase "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }
            else if (!seen.Add(e.Name))
            {
                problems.Add($"Endpoints[{i}].Name '{e.Name}' is declared twice: give each endpoint a unique name.");
            }

            if (e.ExecutionTimeoutMs is < Core.Jobs.JobLimits.MinExecutionTimeoutMs
                or > Core.Jobs.JobLimits.MaxPolicyMs)
            {
                problems.Add($"Endpoints[{i}].ExecutionTimeoutMs {e.ExecutionTimeoutMs} is out of "
                    + "range: use 5000 to 604800000 ms.");
            }

            if (e.MaxExecutionTimeoutMs < e.ExecutionTimeoutMs
                || e.MaxExecutionTimeoutMs > Core.Jobs.JobLimits.MaxPolicyMs)
            {
                problems.Add($"Endpoints[{i}].MaxExecutionTimeoutMs {e.MaxExecutionTimeoutMs} must be at least the "
                    + $"endpoint's ExecutionTimeoutMs ({e.ExecutionTimeoutMs}) and at most 604800000 ms.");
            }

            if (e.MaxTtlMs < e.TtlMs || e.MaxTtlMs > Core.Jobs.JobLimits.MaxPolicyMs)
            {
                problems.Add($"Endpoints[{i}].MaxTtlMs {e.MaxTtlMs} must be at least the endpoint's TtlMs ({e.TtlMs}) "
                    + "and at most 604800000 ms.");
            }

            if (e.TtlMs is < Core.Jobs.JobLimits.MinTtlMs or > Core.Jobs.JobLimits.MaxPolicyMs)
            {
                problems.Add($"Endpoints[{i}].TtlMs {e.TtlMs} is out of range: use 10000 to 604800000 ms.");
            }
        }

        if (options.Lease < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Lease {options.Lease} is too short: use at least 1 s (default 30 s).");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero || options.HeartbeatInterval * 3 > options.Lease)
        {
            problems.Add($"HeartbeatInterval {options.HeartbeatInterval} must be positive and at most a third of Lease "
                + $"({options.Lease}), so two missed heartbeats do not lose the lease.");
        }

        if (options.SweepInterval <= TimeSpan.Zero)
        {
            problems.Add($"SweepInterval {options.SweepInterval} must be positive (default 1 s).");
        }

        if (options.MaxWorkerLost < 0)
        {
            problems.Add($"MaxWorkerLost {options.MaxWorkerLost} must be 0 or more (default 2).");
        }

        if (options.LongPoll <= TimeSpan.Zero || options.LongPoll > TimeSpan.FromSeconds(60))
        {
            problems.Add($"LongPoll {options.LongPoll} must be between 0 and 60 s: runpod-python "
                + "workers give up on a take after 90 s.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
