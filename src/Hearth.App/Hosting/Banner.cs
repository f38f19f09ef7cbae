using Hearth.Core.Endpoints;

namespace Hearth.App.Hosting;

/// <summary>The start-up lines: where the API is, the key, and each endpoint's settings in a table.</summary>
internal static class Banner
{
    public static void Print(TextWriter o, string mode, ControlPlane plane, AppSettings settings,
        IReadOnlyList<EndpointSpec> specs, Secrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        o.WriteLine($"Hearth {mode}: listening on {plane.Address}");
        o.WriteLine($"  store:   {plane.StoreDescription}");
        foreach (var warning in plane.StoreWarnings)
        {
            o.WriteLine($"  note:    {warning}");
        }

        o.WriteLine(settings.ApiKey is null
            ? $"  API key: {secrets.Show("HEARTH_API_KEY", plane.ApiKey)}   "
                + "(set HEARTH_API_KEY or --api-key to choose it)"
            : "  API key: (from --api-key / HEARTH_API_KEY)");
        o.WriteLine(settings.AdminKey is null
            ? $"  admin:   {plane.Address}/api/endpoints with admin key "
                + secrets.Show("HEARTH_ADMIN_KEY", plane.AdminKey)
            : $"  admin:   {plane.Address}/api/endpoints (admin key from --admin-key / HEARTH_ADMIN_KEY)");
        if (mode == "dev")
        {
            // One line, one-time link: the token works once and only signs in the dashboard (a session cookie).
            o.WriteLine($"  dashboard: {secrets.Show("HEARTH_DASHBOARD_LINK", plane.NewDashboardLink())}");
        }

        o.WriteLine();
        o.WriteLine($"  {"endpoint",-20} {"compute",-28} {"workers",-8} {"idle",-7} {"timeout",-10} {"worker",-6}");
        foreach (var s in specs)
        {
            var compute = s.Cpu ?? (s.Gpu.Count > 0 ? string.Join(" > ", s.Gpu) : "cpu");
            var timeout = s.ExecutionTimeoutMs is null or 0 ? "600000ms" : $"{s.ExecutionTimeoutMs}ms";
            var worker = s.Command is null ? "C#" : "command";
            o.WriteLine($"  {s.Name,-20} {Clip(compute, 28),-28} {$"{s.WorkersMin}..{s.WorkersMax}",-8} "
                + $"{$"{s.IdleTimeout.TotalSeconds:0}s",-7} {timeout,-10} {worker,-6}");
        }

        o.WriteLine();
    }

    public static void PrintTry(TextWriter o, ControlPlane plane, AppSettings settings, string endpoint)
    {
        var key = settings.ApiKey is null && settings.SecretsFile is null ? plane.ApiKey : "$HEARTH_API_KEY";
        // Double quotes: the shell expands $HEARTH_API_KEY when the line is pasted.
        o.WriteLine($"  try: curl -s -H \"Authorization: Bearer {key}\" -d '{{\"input\":{{\"hello\":\"world\"}}}}' "
            + $"{plane.Address}/v2/{endpoint}/runsync");
    }

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
