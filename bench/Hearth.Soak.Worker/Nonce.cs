namespace Hearth.Soak.Worker;

/// <summary>A value unique to one run of a handler; the soak's checker finds it in outputs and errors.</summary>
internal static class Nonce
{
    public static string New() => "nonce-" + Guid.NewGuid().ToString("N")[..12];
}
