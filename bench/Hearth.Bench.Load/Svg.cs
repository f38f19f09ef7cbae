using System.Globalization;
using System.Text;

namespace Hearth.Bench.Load;

/// <summary>Hand-written SVG charts (no native plotting dependency): a latency CDF and a throughput-vs-concurrency chart.</summary>
internal static class Svg
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
    private const int W = 760, H = 440, L = 70, R = 220, T = 40, B = 50;

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Percentile (y, 0–100) against latency (x, log scale, ms) for each series.</summary>
    public static string Cdf(string title, IReadOnlyList<(string Name, List<double[]> Cdf)> series)
    {
        var all = series.SelectMany(s => s.Cdf.Select(p => p[1])).Where(v => v > 0).ToArray();
        var lo = Math.Pow(10, Math.Floor(Math.Log10(all.Min())));
        var hi = Math.Pow(10, Math.Ceiling(Math.Log10(all.Max())));
        double X(double ms) => L + (Math.Log10(Math.Max(ms, lo)) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo)) * (W - L - R);
        double Y(double p) => T + (100 - p) / 100 * (H - T - B);
        var svg = Begin(title, "latency, ms (log scale)", "percentile");
        for (var d = lo; d <= hi * 1.0001; d *= 10)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1='{F(X(d))}' y1='{T}' x2='{F(X(d))}' y2='{H - B}' stroke='#ddd'/><text x='{F(X(d))}' y='{H - B + 16}' text-anchor='middle'>{F(d)}</text>");
        }

        foreach (var p in new[] { 0, 50, 90, 99, 100 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1='{L}' y1='{F(Y(p))}' x2='{W - R}' y2='{F(Y(p))}' stroke='#ddd'/><text x='{L - 6}' y='{F(Y(p) + 4)}' text-anchor='end'>p{p}</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var points = string.Join(' ', series[i].Cdf.Select(p => $"{F(X(p[1]))},{F(Y(p[0]))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill='none' stroke='{Colors[i % Colors.Length]}' stroke-width='2' points='{points}'/>");
            Legend(svg, i, series[i].Name);
        }

        return End(svg);
    }

    /// <summary>Jobs/s (y) against concurrency (x, categorical), the median with a min–max bar for each series.</summary>
    public static string Throughput(string title, IReadOnlyList<int> levels, IReadOnlyList<(string Name, Dictionary<int, (double Median, double Min, double Max)> Points)> series)
    {
        var top = series.SelectMany(s => s.Points.Values.Select(v => v.Max)).DefaultIfEmpty(1).Max();
        var step = Math.Pow(10, Math.Floor(Math.Log10(top)));
        var ymax = Math.Ceiling(top / step) * step;
        double X(int i) => L + (i + 0.5) / levels.Count * (W - L - R);
        double Y(double v) => T + (1 - v / ymax) * (H - T - B);
        var svg = Begin(title, "concurrency (worker loops / BullMQ concurrency)", "no-op jobs/s");
        for (var v = 0.0; v <= ymax * 1.0001; v += ymax / 5)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1='{L}' y1='{F(Y(v))}' x2='{W - R}' y2='{F(Y(v))}' stroke='#ddd'/><text x='{L - 6}' y='{F(Y(v) + 4)}' text-anchor='end'>{F(v)}</text>");
        }

        for (var i = 0; i < levels.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x='{F(X(i))}' y='{H - B + 16}' text-anchor='middle'>{levels[i]}</text>");
        }

        for (var s = 0; s < series.Count; s++)
        {
            var color = Colors[s % Colors.Length];
            var pts = levels.Select((c, i) => (i, c)).Where(p => series[s].Points.ContainsKey(p.c)).ToList();
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill='none' stroke='{color}' stroke-width='2' points='{string.Join(' ', pts.Select(p => $"{F(X(p.i))},{F(Y(series[s].Points[p.c].Median))}"))}'/>");
            foreach (var (i, c) in pts)
            {
                var (m, lo, hi) = series[s].Points[c];
                svg.Append(CultureInfo.InvariantCulture, $"<line x1='{F(X(i))}' y1='{F(Y(lo))}' x2='{F(X(i))}' y2='{F(Y(hi))}' stroke='{color}'/><circle cx='{F(X(i))}' cy='{F(Y(m))}' r='3.5' fill='{color}'/>");
            }

            Legend(svg, s, series[s].Name);
        }

        return End(svg);
    }

    private static StringBuilder Begin(string title, string xLabel, string yLabel)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' font-family='sans-serif' font-size='12'>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width='{W}' height='{H}' fill='white'/><text x='{W / 2}' y='22' text-anchor='middle' font-size='15'>{Escape(title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x='{L}' y='{T}' width='{W - L - R}' height='{H - T - B}' fill='none' stroke='#888'/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x='{(W - R + L) / 2}' y='{H - 12}' text-anchor='middle'>{Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform='translate(16,{(H - B + T) / 2}) rotate(-90)' text-anchor='middle'>{Escape(yLabel)}</text>");
        return svg;
    }

    private static void Legend(StringBuilder svg, int i, string name)
    {
        var y = T + 10 + i * 20;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1='{W - R + 12}' y1='{y}' x2='{W - R + 32}' y2='{y}' stroke='{Colors[i % Colors.Length]}' stroke-width='3'/><text x='{W - R + 38}' y='{y + 4}'>{Escape(name)}</text>");
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
