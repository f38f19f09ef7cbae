using System.Globalization;

namespace Hearth.Core.Endpoints;

/// <summary>Rules for how an endpoint scales and times out: workers, idle_timeout, timeouts, scaler,
/// concurrency.</summary>
internal static class ScalingRules
{
    public static void Check(EndpointSpec spec, string path, List<SpecProblem> problems)
    {
        CheckWorkers(spec.WorkersMin, spec.WorkersMax, $"{path}.workers", problems);

        var idle = spec.IdleTimeout.TotalSeconds;
        if (idle is < EndpointLimits.MinIdleTimeoutSeconds or > EndpointLimits.MaxIdleTimeoutSeconds)
        {
            problems.Add(new($"{path}.idle_timeout", Fmt(idle),
                $"idle_timeout must be {EndpointLimits.MinIdleTimeoutSeconds}–"
                + $"{EndpointLimits.MaxIdleTimeoutSeconds} seconds",
                "set idle_timeout in seconds within that range, e.g. "
                + $"{(int)EndpointSpec.DefaultIdleTimeout.TotalSeconds}."));
        }

        if (spec.ExecutionTimeoutMs is { } exec && exec != 0 && exec is < EndpointLimits.MinExecutionTimeoutMs
            or > EndpointLimits.MaxExecutionTimeoutMs)
        {
            var hint = exec is > 0 and < EndpointLimits.MinExecutionTimeoutMs
                ? " (the value is in milliseconds, not seconds)" : string.Empty;
            problems.Add(new($"{path}.execution_timeout_ms", Fmt(exec),
                "execution_timeout_ms must be 0 (none) or "
                + $"{EndpointLimits.MinExecutionTimeoutMs}–{EndpointLimits.MaxExecutionTimeoutMs}{hint}",
                "set it in milliseconds, e.g. 120000 for two minutes."));
        }

        if (spec.TtlMs is { } ttl && ttl is < EndpointLimits.MinTtlMs or > EndpointLimits.MaxTtlMs)
        {
            problems.Add(new($"{path}.ttl_ms", Fmt(ttl),
                $"ttl_ms must be {EndpointLimits.MinTtlMs}–{EndpointLimits.MaxTtlMs}",
                "set it in milliseconds, e.g. 86400000 for a day, or leave it out for the default."));
        }

        // Operator ceilings on what a client may ask for per job (policy.executionTimeout, policy.ttl).
        var floorExec = spec.ExecutionTimeoutMs is { } e and > 0 ? e : Jobs.JobLimits.DefaultExecutionTimeoutMs;
        if (spec.MaxExecutionTimeoutMs is { } maxExec
            && (maxExec < floorExec || maxExec > EndpointLimits.MaxExecutionTimeoutMs))
        {
            problems.Add(new($"{path}.max_execution_timeout_ms", Fmt(maxExec),
                $"max_execution_timeout_ms must be {floorExec}–{EndpointLimits.MaxExecutionTimeoutMs} (at least the "
                + "endpoint's own execution_timeout_ms)",
                "set the longest execution timeout a client may ask for, in milliseconds, e.g. 3600000."));
        }

        var floorTtl = spec.TtlMs ?? Jobs.JobLimits.DefaultTtlMs;
        if (spec.MaxTtlMs is { } maxTtl && (maxTtl < floorTtl || maxTtl > EndpointLimits.MaxTtlMs))
        {
            problems.Add(new($"{path}.max_ttl_ms", Fmt(maxTtl),
                $"max_ttl_ms must be {floorTtl}–{EndpointLimits.MaxTtlMs} (at least the endpoint's own ttl_ms)",
                "set the longest TTL a client may ask for, in milliseconds, e.g. 86400000."));
        }

        if (!(spec.ScalerValue > 0) || double.IsInfinity(spec.ScalerValue))
        {
            problems.Add(new($"{path}.scaler_value", Fmt(spec.ScalerValue), "scaler_value must be greater than 0",
                $"set a positive number, e.g. {Fmt(EndpointSpec.DefaultScalerValue)}."));
        }

        if (spec.Type == EndpointType.LoadBalanced && spec.ScalerType != ScalerType.RequestCount)
        {
            problems.Add(new($"{path}.scaler_type", "QUEUE_DELAY", "load-balanced endpoints have no queue to measure",
                "set scaler_type: REQUEST_COUNT, or leave it out."));
        }

        if (spec.MaxSteps is < 1 or > EndpointLimits.MaxMaxSteps)
        {
            problems.Add(new($"{path}.max_steps", Fmt(spec.MaxSteps),
                $"max_steps must be 1–{EndpointLimits.MaxMaxSteps}",
                "set the most steps one job may journal before it fails as a runaway, e.g. "
                + $"{EndpointLimits.DefaultMaxSteps}."));
        }

        if (spec.SessionIdleTimeout is { } sessionIdle &&
            sessionIdle.TotalSeconds is < EndpointLimits.MinSessionIdleTimeoutSeconds
                or > EndpointLimits.MaxSessionIdleTimeoutSeconds)
        {
            problems.Add(new($"{path}.session_idle_timeout", Fmt(sessionIdle.TotalSeconds),
                $"session_idle_timeout must be {EndpointLimits.MinSessionIdleTimeoutSeconds}–"
                + $"{EndpointLimits.MaxSessionIdleTimeoutSeconds} seconds",
                "set it in seconds, e.g. 3600, or leave it out for twice the idle timeout (at least 30 min)."));
        }

        if (spec.Concurrency < 1)
        {
            problems.Add(new($"{path}.concurrency", Fmt(spec.Concurrency), "concurrency must be at least 1",
                "set how many jobs one worker runs at once, e.g. 1."));
        }
    }

    private static void CheckWorkers(int min, int max, string path, List<SpecProblem> problems)
    {
        var value = $"[{Fmt(min)}, {Fmt(max)}]";
        if (min < 0)
        {
            problems.Add(new(path, value, "min must be 0 or more",
                $"use 0 to scale to zero, e.g. [0, {Fmt(Math.Max(max, 1))}]."));
        }

        if (max < 1)
        {
            problems.Add(new(path, value, "max must be at least 1",
                $"allow at least one worker, e.g. [{Fmt(Math.Max(min, 0))}, {Fmt(Math.Max(min, 1))}]."));
        }

        if (min > max && max >= 1)
        {
            problems.Add(new(path, value, "min is greater than max",
                $"make min ≤ max, e.g. [{Fmt(max)}, {Fmt(min)}]."));
        }
    }

    private static string Fmt(double value) => value.ToString(CultureInfo.InvariantCulture);
}
