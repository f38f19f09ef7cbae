using System.Diagnostics;

namespace Hearth.App.Tests.Cluster;

/// <summary>
/// A network namespace of the test's own — a second "host" — joined to this one by a veth pair on a private /30:
/// the host side is <see cref="HostAddress"/>, the namespace side <see cref="Address"/>. <see cref="Cut"/> takes the
/// namespace's link down (the host disappears from the network); <see cref="Restore"/> brings it back. Needs root and
/// iproute2; <see cref="Unavailable"/> says why not.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private static int _next;
    private readonly string _hostVeth;
    private readonly string _nsVeth;

    private NetworkNamespace(string name, int subnet)
    {
        Name = name;
        _hostVeth = $"{name}h";
        _nsVeth = $"{name}n";
        HostAddress = $"10.213.{subnet}.1";
        Address = $"10.213.{subnet}.2";
    }

    /// <summary>The namespace's name (also the veth names' stem).</summary>
    public string Name { get; }

    /// <summary>This host's address as seen from the namespace.</summary>
    public string HostAddress { get; }

    /// <summary>The namespace's address.</summary>
    public string Address { get; }

    /// <summary>Why namespaces cannot be made here (not root, no ip), or null.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (Environment.UserName != "root" && Run("id", "-u").Trim() != "0")
        {
            return "making network namespaces needs root (CI runs as root)";
        }

        return File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip") ? null : "the ip command (iproute2) is missing";
    }

    /// <summary>Makes a namespace with its veth link up and a default route to this host.</summary>
    public static NetworkNamespace Create()
    {
        var n = Interlocked.Increment(ref _next);
        var stem = $"hn{Environment.ProcessId % 100000}x{n}";
        var subnet = (Environment.ProcessId * 7 + n * 13) % 250 + 1;
        for (var tries = 0; tries < 250 && Run("ip", "-o", "-4", "addr", "show", "to", $"10.213.{subnet}.0/30").Trim().Length > 0; tries++)
        {
            subnet = subnet % 250 + 1; // taken (a namespace left over by a killed run): use the next /30
        }

        var ns = new NetworkNamespace(stem, subnet);
        try
        {
            Ip("netns", "add", ns.Name);
            Ip("link", "add", ns._hostVeth, "type", "veth", "peer", "name", ns._nsVeth);
            Ip("link", "set", ns._nsVeth, "netns", ns.Name);
            Ip("addr", "add", $"{ns.HostAddress}/30", "dev", ns._hostVeth);
            Ip("link", "set", ns._hostVeth, "up");
            ns.InNs("addr", "add", $"{ns.Address}/30", "dev", ns._nsVeth);
            ns.InNs("link", "set", "lo", "up");
            ns.Restore();
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>The launcher that runs a command inside the namespace.</summary>
    public string[] Exec(string file) => ["ip", "netns", "exec", Name, file];

    /// <summary>Takes the namespace's side of the link down: nothing gets in or out.</summary>
    public void Cut() => InNs("link", "set", _nsVeth, "down");

    /// <summary>Brings the link back up with its default route.</summary>
    public void Restore()
    {
        InNs("link", "set", _nsVeth, "up");
        InNs("route", "replace", "default", "via", HostAddress);
    }

    public void Dispose()
    {
        // Deleting the namespace deletes its veth end, and with it the pair; the explicit delete covers a half-made one.
        Run("ip", "netns", "del", Name);
        Run("ip", "link", "del", _hostVeth);
    }

    private void InNs(params string[] args) => Ip(["-n", Name, .. args]);

    private static void Ip(params string[] args)
    {
        var (code, output) = RunWithCode("ip", args);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {output}");
        }
    }

    private static string Run(string file, params string[] args) => RunWithCode(file, args).Output;

    private static (int Code, string Output) RunWithCode(string file, string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not exit within 30 s.");
        }

        return (p.ExitCode, output);
    }
}
