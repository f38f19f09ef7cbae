using System.Net;
using System.Net.Sockets;

namespace Hearth.Server.Webhooks;

/// <summary>The pinned-address HTTP plumbing of <see cref="WebhookSender"/>.</summary>
public sealed partial class WebhookSender
{
    // Carries the guard's vetted addresses from DeliverAsync to the connect callback of the same request.
    private static readonly HttpRequestOptionsKey<IReadOnlyList<IPAddress>> VettedAddressesKey = new(
        "Hearth.Webhooks.VettedAddresses");

    // Pooled connections keep the address vetted when they opened; a short lifetime bounds how long that lasts.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(1);

    private const string UserAgent = "Hearth-Webhooks";

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            // A redirect could point anywhere, including 169.254.169.254, after the guard has approved the URL.
            AllowAutoRedirect = false,
            // A proxy from the environment would make the pinned connect go to the proxy, which then resolves
            // the host itself and undoes the pin.
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = PooledConnectionLifetime,
            ConnectCallback = ConnectToVettedAddressAsync,
        };

        // HttpClient.Timeout runs on the wall clock; the per-attempt timeout uses the TimeProvider instead.
        var httpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        httpClient.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return httpClient;
    }

    /// <summary>
    /// Connects to an address the guard vetted instead of resolving the host again, so a DNS answer that
    /// changes after the check (rebinding) cannot redirect the connection.
    /// </summary>
    private async ValueTask<Stream> ConnectToVettedAddressAsync(
        SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(VettedAddressesKey, out var addresses)
            || addresses.Count == 0)
        {
            throw new HttpRequestException(
                "A webhook connection may only go to an address vetted by WebhookTargetGuard.");
        }

        SocketException? lastError = null;
        foreach (var address in addresses)
        {
            // Belt and braces: the list came from the guard, but a connection must never reach a blocked address.
            if (!guard.IsAddressAllowed(address))
            {
                continue;
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken)
                    .ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException("Could not connect to any vetted webhook address.", lastError);
    }
}
