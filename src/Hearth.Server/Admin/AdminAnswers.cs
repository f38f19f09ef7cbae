using System.Globalization;
using Hearth.Server.Api;
using Hearth.Server.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Admin;

/// <summary>Pieces every admin answer shares: one timestamp format and one "no such endpoint" error.</summary>
internal static class AdminAnswers
{
    /// <summary>Unix milliseconds as ISO 8601 UTC with milliseconds (<c>2026-11-25T12:00:00.123Z</c>).</summary>
    public static string Iso(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms)
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>404 for an endpoint this control plane does not serve, listing the ones it does.</summary>
    public static IResult UnknownEndpoint(JobService jobs, string name) =>
        ApiResults.Error(404, $"Endpoint '{name}' does not exist.",
            $"Known endpoints: {string.Join(", ", jobs.EndpointNames.Order(StringComparer.Ordinal))}.");
}
