using System.Text.Json;

namespace Hearth.App.Plan;

/// <summary>Writes a plan as one stable JSON object for scripts. Sizes are in bytes; names are snake_case.</summary>
internal static class PlanJson
{
    public static string Write(PlanReport report)
    {
        var e = report.Estimate;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("model");
            w.WriteString("config", e.Config.Source);
            w.WriteString("model_type", e.Config.ModelType);
            w.WriteNumber("parameters", e.Parameters);
            w.WriteString("parameter_source", e.ParameterSource.ToString().ToLowerInvariant());
            w.WriteNumber("layers", e.Config.Layers);
            w.WriteNumber("kv_heads", e.Config.KvHeads);
            w.WriteNumber("head_dim", e.Config.HeadDim);
            w.WriteEndObject();
            w.WriteString("dtype", e.Dtype);
            w.WriteString("kv_dtype", e.KvDtype);
            w.WriteNumber("context", e.MaxContext);
            w.WriteNumber("concurrency", e.Concurrency);
            w.WriteNumber("weights_bytes", e.WeightsBytes);
            w.WriteNumber("kv_bytes_per_token", e.KvBytesPerToken);
            w.WriteNumber("session_peak_bytes", e.SessionPeakBytes);
            w.WriteNumber("runtime_overhead_bytes", e.RuntimeOverheadBytes);
            w.WriteNumber("reservation_bytes", e.ReservationBytes);
            w.WriteStartArray("gpus");
            foreach (var fit in report.Fits)
            {
                w.WriteStartObject();
                w.WriteString("id", fit.Gpu.Id);
                w.WriteNumber("vram_gb", fit.Gpu.VramGb);
                w.WriteNumber("vram_bytes", fit.VramBytes);
                w.WriteBoolean("fits", fit.Fits);
                w.WriteNumber("max_sessions", fit.MaxSessions);
                w.WriteNumber("headroom_bytes", fit.HeadroomBytes);
                WritePrice(w, report.Prices.TryGetValue(fit.Gpu.Id, out var p) ? p : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("smallest_fit", report.SmallestFit?.Gpu.Id);
            w.WriteString("cheapest_fit", report.CheapestFit?.Gpu.Id);
            if (report.MultiGpu is { } multi)
            {
                w.WriteStartObject("multi_gpu");
                w.WriteString("id", multi.Gpu.Id);
                w.WriteNumber("gpu_count", multi.GpuCount);
                WritePrice(w, multi.PricePerHour);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("multi_gpu");
            }

            w.WriteString("fp8_smallest_fit", report.Fp8SmallestFit?.Gpu.Id);
            if (report.LongestContextThatFits is { } longest)
            {
                w.WriteNumber("longest_context_that_fits", longest);
            }
            else
            {
                w.WriteNull("longest_context_that_fits");
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WritePrice(Utf8JsonWriter w, decimal? price)
    {
        if (price is { } p)
        {
            w.WriteNumber("price_per_hour", p);
        }
        else
        {
            w.WriteNull("price_per_hour");
        }
    }
}
