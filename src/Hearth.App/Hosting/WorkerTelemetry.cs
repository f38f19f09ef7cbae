using Hearth.Core.Tracing;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hearth.App.Hosting;

/// <summary>
/// OTLP export of a worker process's spans (<c>execute</c>, <c>step</c>, <c>call</c>) when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set; the standard <c>OTEL_*</c>
/// variables configure it. Without them the spans still reach the control plane's span store.
/// </summary>
internal static class WorkerTelemetry
{
    /// <summary>A tracer provider to dispose when the worker stops (it flushes), or null when OTLP is not
    /// configured.</summary>
    public static TracerProvider? Start(string endpoint)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")) &&
            string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")))
        {
            return null;
        }

        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r =>
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
                {
                    r.AddService($"hearth-worker-{endpoint}");
                }
            })
            .AddSource(HearthTelemetry.Name)
            .AddOtlpExporter()
            .Build();
    }
}
