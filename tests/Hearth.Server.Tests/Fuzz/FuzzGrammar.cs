using System.Globalization;
using System.Text;
using CsCheck;

namespace Hearth.Server.Tests.Fuzz;

/// <summary>
/// The request grammar: real routes with their parameters filled by known or hostile values, hostile queries, every
/// kind of key and malformed ones, odd methods and headers, and bodies from valid submissions to malformed JSON (huge
/// numbers, deep nesting, unicode, duplicated keys, wrong types, truncation, raw bytes), sent whole or chunked.
/// </summary>
public sealed class FuzzGrammar(IReadOnlyList<(string Method, string Pattern)> routes, FuzzTargets targets)
{
    private static readonly string[] Hostile =
    [
        "..", "%2e%2e", "%00", "%ff%fe", "' OR 1=1 --", "{", "}", "\u202e", "job:x", "*", "-1", "0", "null", "true",
        "%20", "a/b", "<script>", "\\", "%", "ü", "\U0001F600", "9999999999999999999999", "\t",
    ];

    private static readonly string[] QueryKeys =
        ["wait", "ttl", "key", "limit", "before", "batch_size", "job_in_progress", "isStream", "x", "webhook"];

    private static readonly string[] Methods = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "FOO"];

    private static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.OneOf(Hostile)),
        (3, Gen.String[0, 40]),
        (1, Gen.Char.Array[500, 3000].Select(c => new string(c))),
        (2, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))));

    /// <summary>A JSON scalar, hostile ones included.</summary>
    private static readonly Gen<string> Scalar = Gen.Frequency(
        (3, Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999")),
        (2, Gen.OneOf("1e400", "-1e400", "-0", "1E-400", "123456789012345678901234567890", "0.0000000000000001",
            "NaN", "Infinity", "true", "false", "null", "\"\\ud800\"", "\"\\u0000\"", "\"\\uDFFF\\uD800\"")),
        (3, Text.Select(Quote)));

    /// <summary>Every request the grammar makes.</summary>
    public Gen<FuzzRequest> Requests => Gen.Select(
        Route, Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true))), Query, Authorization, BodyAndType,
        Gen.Bool, ExtraHeaders,
        (route, oddMethod, query, auth, body, chunked, headers) => new FuzzRequest(
            oddMethod ? Methods[(route.Path.Length + query.Length) % Methods.Length] : route.Method, route.Pattern,
            route.Path, query, auth, body.Type, body.Bytes, chunked && body.Bytes is not null, headers));

    private Gen<(string Method, string Pattern, string Path)> Route => Gen.Frequency(
        (10, Gen.Int[0, routes.Count - 1].SelectMany(i => Fill(routes[i].Pattern)
            .Select(path => (routes[i].Method, routes[i].Pattern, path)))),
        (1, Text.Select(t => ("GET", "(none)", "/" + Uri.EscapeDataString(t)))),
        (1, Gen.OneOf(routes.ToArray()).Select(r => (r.Method, r.Pattern, r.Pattern.Replace("{", "%7B",
            StringComparison.Ordinal)))));

    /// <summary>A route's path with each <c>{parameter}</c> a known value (mostly) or a hostile one.</summary>
    private Gen<string> Fill(string pattern)
    {
        var parts = System.Text.RegularExpressions.Regex.Split(pattern, "({[^}]+})");
        var gens = parts.Select(p => p.StartsWith('{')
            ? Gen.Frequency(
                (6, Gen.OneOf(targets.ValuesFor(p.Trim('{', '}').Split(':', '=', '?')[0]))),
                (1, Gen.Const("nope")),
                (2, Text.Select(t => t.Length == 0 ? "%20" : Uri.EscapeDataString(t))),
                (1, Gen.OneOf("%00", "..", "%2F", "a%2Fb")))
            : Gen.Const(p)).ToArray();
        return gens.Aggregate(Gen.Const(string.Empty), (acc, g) => Gen.Select(acc, g, (a, b) => a + b));
    }

    private static Gen<string> Query => Gen.Frequency(
        (5, Gen.Const(string.Empty)),
        (4, Gen.Select(Gen.OneOf(QueryKeys), Gen.Frequency((3, Scalar.Select(s => s.Trim('"'))), (1, Text)),
            Gen.Bool, (k, v, twice) => $"?{k}={Uri.EscapeDataString(v)}" + (twice ? $"&{k}=1" : string.Empty))),
        (1, Text.Select(t => "?" + Uri.EscapeDataString(t))));

    private Gen<string?> Authorization => Gen.Frequency(
        (8, Gen.OneOf([.. targets.Keys]).Select(k => (string?)("Bearer " + k))),
        (2, Gen.OneOf([.. targets.Keys]).Select(k => (string?)k)),
        (2, Gen.Const((string?)null)),
        (1, Text.Select(t => (string?)("Bearer " + t))),
        (1, Gen.OneOf("Basic YWRtaW46YWRtaW4=", "Bearer", "bearer  ", "Bearer hk_test_client\u0000", "Token x")
            .Select(s => (string?)s)));

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> ExtraHeaders => Gen.Frequency(
        (6, Gen.Const<IReadOnlyList<KeyValuePair<string, string>>>([])),
        (1, Text.Select(t => (IReadOnlyList<KeyValuePair<string, string>>)[new("Idempotency-Key", Ascii(t))])),
        (1, Text.Select(t => (IReadOnlyList<KeyValuePair<string, string>>)[new("traceparent", Ascii(t))])),
        (1, Gen.OneOf("203.0.113.9", "::1", "not-an-ip", "1.2.3.4, 5.6.7.8", "999.1.1.1").Select(ip =>
            (IReadOnlyList<KeyValuePair<string, string>>)[new("X-Forwarded-For", ip), new("X-Forwarded-Proto",
                "https")])));

    private static Gen<(string? Type, byte[]? Bytes)> BodyAndType => Gen.Select(
        Gen.Frequency(
            (4, Submission.Select(Utf8)),
            (3, Json(4).Select(Utf8)),
            (1, Deep),
            (1, Json(3).SelectMany(j => Gen.Int[0, Math.Max(0, j.Length - 1)].Select(n => Utf8(j[..n])))),
            (1, Gen.Byte.Array[0, 200].Select(b => (byte[]?)b)),
            (1, Gen.Const((byte[]?)null)),
            (1, Gen.Const((byte[]?)Utf8("""{"input":1,"input":{"a":1},"webhook":"x","webhook":null}""")))),
        Gen.Frequency(
            (6, Gen.Const((string?)"application/json")),
            (1, Gen.Const((string?)null)),
            (1, Gen.OneOf((string?)"text/plain", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
                "application/x-www-form-urlencoded"))),
        (bytes, type) => ((string?)type, (byte[]?)bytes));

    /// <summary>Submission-shaped objects whose fields are right, wrong-typed or hostile.</summary>
    private static Gen<string> Submission => Gen.Select(
        Json(3), Gen.Frequency((3, Gen.Const("null")), (1, Text.Select(Quote)),
            (1, Gen.OneOf("\"http://169.254.169.254/\"", "\"http://127.0.0.1:1/x\"", "\"https://example.com/h\"",
                "\"file:///etc/passwd\"", "\"http://[::1]/\""))),
        Gen.Frequency((3, Gen.Const("null")), (2, Gen.Select(Scalar, Scalar,
            (a, b) => $$"""{"executionTimeout":{{a}},"ttl":{{b}},"lowPriority":{{a}}}"""))),
        Gen.Frequency((3, Gen.Const("null")), (1, Text.Select(Quote)), (1, Gen.OneOf("\"job:abc\"", "\"chat-1\""))),
        (input, hook, policy, session) =>
            $$"""{"input":{{input}},"webhook":{{hook}},"policy":{{policy}},"session_id":{{session}}}""");

    private static Gen<byte[]?> Deep => Gen.Int[10, 3000].Select(n =>
        (byte[]?)Utf8("{\"input\":" + new string('[', n) + new string(']', n) + "}"));

    private static Gen<string> Json(int depth) => depth <= 0 ? Scalar : Gen.Frequency(
        (5, Scalar),
        (2, Json(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
        (2, Gen.Select(Text, Json(depth - 1)).Array[0, 4].Select(fields =>
            "{" + string.Join(",", fields.Select(f => $"{Quote(f.Item1)}:{f.Item2}")) + "}")));

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Ascii(string s) =>
        new string([.. s.Where(c => c is >= ' ' and <= '~').Take(200)]) is { Length: > 0 } a ? a : "x";
}
