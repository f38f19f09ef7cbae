using System.Globalization;
using Hearth.Core.Memory;
using Spectre.Console;

namespace Hearth.App.Plan;

/// <summary>Renders a plan as an estimate summary, a table of GPU types and a verdict.</summary>
internal static class PlanText
{
    public static void Write(PlanReport report, IAnsiConsole console)
    {
        var e = report.Estimate;
        var source = e.ParameterSource switch
        {
            ParameterSource.Config => "num_parameters in config.json",
            ParameterSource.Safetensors => "safetensors total",
            _ => "estimated from the architecture",
        };
        console.MarkupLine($"[bold]Model[/]        {Markup.Escape(e.Config.Source)} "
            + $"({Markup.Escape(e.Config.ModelType ?? "unknown type")})");
        console.MarkupLine($"[bold]Parameters[/]   {e.Parameters / 1e9:0.00} B ({source})");
        console.MarkupLine($"[bold]Weights[/]      {Size(e.WeightsBytes)} ({e.Dtype})");
        console.MarkupLine($"[bold]KV cache[/]     {Size(e.KvBytesPerToken)}/token ({e.KvDtype}; {e.Config.Layers} " +
            $"layers × {e.Config.KvHeads} KV heads × head_dim {e.Config.HeadDim})" +
            $" × {e.MaxContext:N0} tokens = {Size(e.SessionPeakBytes)} per session");
        console.MarkupLine($"[bold]Reservation[/]  {Size(e.ReservationBytes)} = weights + {e.Concurrency} × "
            + $"{Size(e.SessionPeakBytes)} + {Size(e.RuntimeOverheadBytes)} runtime overhead");
        console.WriteLine();

        var priced = report.Prices.Count > 0;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("GPU type").AddColumn(new TableColumn("VRAM").RightAligned())
            .AddColumn(new TableColumn("Fits").Centered())
            .AddColumn(new TableColumn("Max sessions/card").RightAligned())
            .AddColumn(new TableColumn("Headroom").RightAligned());
        if (priced)
        {
            table.AddColumn(new TableColumn("$/h").RightAligned());
        }

        foreach (var fit in report.Fits)
        {
            var cells = new List<string>
            {
                Markup.Escape(fit.Gpu.Id),
                $"{fit.Gpu.VramGb} GB",
                fit.Fits ? "[green]✓[/]" : "[red]✗[/]",
                fit.MaxSessions.ToString(CultureInfo.InvariantCulture),
                fit.HeadroomBytes >= 0 ? Size(fit.HeadroomBytes) : $"[red]-{Size(-fit.HeadroomBytes)}[/]",
            };
            if (priced)
            {
                cells.Add(report.Prices.TryGetValue(fit.Gpu.Id, out var p)
                    ? p.ToString("0.00", CultureInfo.InvariantCulture) : "-");
            }

            table.AddRow([.. cells]);
        }

        console.Write(table);
        foreach (var line in Verdict(report))
        {
            console.MarkupLine(line);
        }
    }

    private static IEnumerable<string> Verdict(PlanReport report)
    {
        var e = report.Estimate;
        if (report.SmallestFit is { } smallest)
        {
            yield return $"[green]Smallest fit:[/] {Markup.Escape(smallest.Gpu.Id)} ({smallest.Gpu.VramGb} GB): " +
                $"{e.Concurrency} session(s) of {e.MaxContext:N0} tokens, " +
                $"{Size(smallest.HeadroomBytes)} headroom, up to {smallest.MaxSessions} sessions per card.";
            if (report.CheapestFit is { } cheapest)
            {
                yield return $"[green]Cheapest fit:[/] {Markup.Escape(cheapest.Gpu.Id)} at "
                    + $"${report.Prices[cheapest.Gpu.Id].ToString("0.00", CultureInfo.InvariantCulture)}/h.";
            }
            else if (report.Prices.Count > 0)
            {
                yield return "No priced GPU type fits; add prices for the types marked ✓.";
            }

            yield break;
        }

        yield return $"[red]No single GPU fits[/] the {Size(e.ReservationBytes)} reservation. Options:";
        if (report.MultiGpu is { } multi)
        {
            var price = multi.PricePerHour is { } p
                ? $" (${p.ToString("0.00", CultureInfo.InvariantCulture)}/h)" : string.Empty;
            yield return $"  • gpu_count: {multi.GpuCount} × {Markup.Escape(multi.Gpu.Id)} "
                + $"({multi.GpuCount * multi.Gpu.VramGb} GB in all, tensor parallel){price}";
        }

        if (report.Fp8Weights is { } fp8)
        {
            var where = report.Fp8SmallestFit is { } f
                ? $"fits {Markup.Escape(f.Gpu.Id)}" : "still fits no single card";
            yield return $"  • --dtype fp8: weights {Size(fp8.WeightsBytes)}, reservation "
                + $"{Size(fp8.ReservationBytes)}, {where}";
        }

        yield return report.LongestContextThatFits is { } context
            ? $"  • --context {context:N0} or less: the longest context the largest card holds "
                + $"at concurrency {e.Concurrency}"
            : "  • a shorter context will not help: the weights alone exceed the largest card";
    }

    /// <summary>Binary units (GiB = 2^30), matching how VRAM is read (<see cref="MemoryModel.VramBytes"/>).</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= MemoryModel.GiB => $"{bytes / (double)MemoryModel.GiB:0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} B",
    };
}
