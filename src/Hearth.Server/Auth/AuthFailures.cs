using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Hearth.Server.Api;
using Hearth.Server.Audit;
using Hearth.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>
/// Failed-authentication throttling per source address: after <see cref="HearthServerOptions.AuthFailuresPerMinute"/>
/// refused credentials within a minute, every request from that address answers 429 with <c>Retry-After</c> until
/// the minute is over, whatever key it carries, so keys cannot be guessed at speed. The first refusal of a burst is
/// audited (<c>auth.failures</c>). Loopback callers are not throttled (a proxy on the host forwards the real address
/// with <c>X-Forwarded-For</c>, which is what is counted then).
/// </summary>
public sealed class AuthFailures(IOptions<HearthServerOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, Counter> _by = new();
    private long _prunedAtTicks;

    /// <summary>The 429 to answer when the caller's address is throttled; null otherwise.</summary>
    public IResult? Throttled(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Source(http) is not { } address || !_by.TryGetValue(address, out var counter))
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (counter)
        {
            if (now - counter.Since >= Window || counter.Count < options.Value.AuthFailuresPerMinute)
            {
                return null;
            }

            var wait = Math.Max(1, (int)Math.Ceiling((counter.Since + Window - now).TotalSeconds));
            http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            return ApiResults.Error(StatusCodes.Status429TooManyRequests,
                $"Too many requests with a wrong or missing key from {address}; this address is refused for {wait} s.",
                "Check the key (Authorization: Bearer <key>) before retrying; retry after the Retry-After seconds.");
        }
    }

    /// <summary>Counts a refused credential; the first refusal over the limit is audited.</summary>
    public IResult Failed(HttpContext http, IResult refusal)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Source(http) is not { } address)
        {
            return refusal;
        }

        var now = time.GetUtcNow();
        var counter = _by.GetOrAdd(address, _ => new Counter { Since = now });
        bool burst;
        lock (counter)
        {
            if (now - counter.Since >= Window)
            {
                counter.Since = now;
                counter.Count = 0;
            }

            counter.Count++;
            burst = counter.Count == options.Value.AuthFailuresPerMinute;
        }

        if (burst)
        {
            _ = http.RequestServices.GetService<Auditor>()?.RecordAsync("auth.failures", "anonymous", http,
                http.Request.Path, $"{options.Value.AuthFailuresPerMinute} refused credentials within a minute",
                CancellationToken.None);
        }

        Prune(now);
        return refusal;
    }

    private static IPAddress? Source(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } a && !IPAddress.IsLoopback(a) ? a : null;

    /// <summary>Forgets addresses quiet for a window, so the table stays as small as the current attack.</summary>
    private void Prune(DateTimeOffset now)
    {
        // At most once a window, so a request never pays for the whole table.
        var last = Interlocked.Read(ref _prunedAtTicks);
        if (_by.Count < 1024 || now.UtcTicks - last < Window.Ticks
            || Interlocked.CompareExchange(ref _prunedAtTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (address, counter) in _by)
        {
            if (now - counter.Since >= Window)
            {
                _by.TryRemove(address, out _);
            }
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset Since { get; set; }

        public int Count { get; set; }
    }
}
