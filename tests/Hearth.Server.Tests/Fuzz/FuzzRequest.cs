using System.Text;

namespace Hearth.Server.Tests.Fuzz;

/// <summary>One generated request: what is sent, as the failure report prints it.</summary>
public sealed record FuzzRequest(
    string Method, string Route, string Path, string Query, string? Authorization, string? ContentType, byte[]? Body,
    bool Chunked, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public override string ToString()
    {
        var body = Body is null ? "(none)" : Body.Length > 300
            ? $"{Body.Length} bytes: {Encoding.UTF8.GetString(Body, 0, 300)}…" : Encoding.UTF8.GetString(Body);
        return $"{Method} {Path}{Query} [route {Route}] auth={Authorization ?? "(none)"} type={ContentType ?? "(none)"} "
            + $"chunked={Chunked} headers={string.Join(";", Headers.Select(h => $"{h.Key}={h.Value}"))} body={body}";
    }
}
