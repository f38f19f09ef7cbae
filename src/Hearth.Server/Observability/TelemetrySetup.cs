using Hearth.Core.Tracing;
using Hearth.Store;
using Hearth.Store.Traces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hearth.Server.Observability;

/// <summary>
/// Registers the OpenTelemetry SDK for the control plane: the <c>Hearth</c> meter with a Prometheus scrape endpoint
/// (<c>/metrics</c>), and — when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or the traces/metrics variant) is set — OTLP
/// export of the <c>Hearth</c> spans and metrics. The standard <c>OTEL_*</c> variables configure the exporter
/// (protocol, headers).
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public const string ServiceName = "hearth-control-plane";

    public static void AddHearthTelemetry(IServiceCollection services)
    {
        services.AddOptions<TracingOptions>();
        services.TryAddSingleton(
            sp => sp.GetRequiredService<IHearthStore>() as ITraceStore ?? sp.GetRequiredService<StoreHost>().Traces);
        services.TryAddSingleton<JobTracing>();
        services.TryAddSingleton<HearthMetrics>();
        services.TryAddSingleton<TimeoutDiagnosis>();
        services.TryAddSingleton<TraceRecorder>();
        services.TryAddSingleton<MetricsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());

        var otlpTraces = OtlpConfigured("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        var otlpMetrics = OtlpConfigured("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        var otel = services.AddOpenTelemetry().ConfigureResource(r =>
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
            {
                r.AddService(ServiceName);
            }
        });
        otel.WithMetrics(m =>
        {
            m.AddMeter(HearthTelemetry.Name).AddPrometheusExporter();
            if (otlpMetrics)
            {
                m.AddOtlpExporter();
            }
        });
        if (otlpTraces)
        {
            otel.WithTracing(t => t.AddSource(HearthTelemetry.Name).AddOtlpExporter());
        }

        // Log records (the audit events among them, category Hearth.Server.Audit.Auditor) go out over OTLP too.
        if (OtlpConfigured("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"))
        {
            otel.WithLogging(l => l.AddOtlpExporter());
        }
    }

    /// <summary>True when OTLP export is asked for, by the general endpoint variable or the signal's own.</summary>
    public static bool OtlpConfigured(string signalVariable) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(signalVariable));
}
