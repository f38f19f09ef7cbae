using System.Net;
using System.Net.Sockets;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Answers only for names a test set up; anything else behaves like NXDOMAIN.</summary>
internal sealed class FakeResolver
{
    private readonly Dictionary<string, IPAddress[]> answers = [];

    public int Calls { get; private set; }

    public string? LastHost { get; private set; }

    public void Answer(string host, params IPAddress[] addresses) => answers[host] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Calls++;
        LastHost = host;
        return answers.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
