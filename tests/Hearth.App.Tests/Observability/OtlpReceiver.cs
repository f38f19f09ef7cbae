using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Tests.Observability;

/// <summary>One span as an OTLP exporter sent it, with the <c>service.name</c> of the process that sent it.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OpenTelemetry collector stand-in: OTLP/HTTP on 127.0.0.1, decoding <c>ExportTraceServiceRequest</c> protobuf by hand
/// (only the fields the tests read). Metrics and logs posts are accepted and ignored.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, string endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>What to put in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint { get; }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        OtlpReceiver? receiver = null;
        app.MapPost("/v1/traces", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            foreach (var span in Decode(buffer.ToArray()))
            {
                receiver!.Spans.Enqueue(span);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new OtlpReceiver(app, address);
        return receiver;
    }

    /// <summary>ExportTraceServiceRequest: 1 resource_spans → (1 resource → 1 attributes), (2 scope_spans → 2 spans).</summary>
    public static IEnumerable<ReceivedSpan> Decode(byte[] body)
    {
        foreach (var resourceSpans in Fields(body).Where(f => f.Number == 1))
        {
            var service = "?";
            foreach (var f in Fields(resourceSpans.Bytes))
            {
                if (f.Number == 1)
                {
                    service = Attributes(f.Bytes).GetValueOrDefault("service.name", "?");
                }
            }

            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                foreach (var span in Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    string traceId = string.Empty, spanId = string.Empty, name = string.Empty;
                    string? parent = null;
                    var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var f in Fields(span.Bytes))
                    {
                        switch (f.Number)
                        {
                            case 1: traceId = Convert.ToHexStringLower(f.Bytes); break;
                            case 2: spanId = Convert.ToHexStringLower(f.Bytes); break;
                            case 4: parent = f.Bytes.Length == 0 ? null : Convert.ToHexStringLower(f.Bytes); break;
                            case 5: name = System.Text.Encoding.UTF8.GetString(f.Bytes); break;
                            case 9: foreach (var (k, v) in Attributes(f.Bytes, single: true)) { attributes[k] = v; } break;
                        }
                    }

                    yield return new ReceivedSpan(service, traceId, spanId, parent, name, attributes);
                }
            }
        }
    }

    /// <summary>KeyValue (1 key, 2 AnyValue: 1 string, 2 bool, 3 int, 4 double); <paramref name="single"/> when the bytes are one KeyValue.</summary>
    private static Dictionary<string, string> Attributes(byte[] bytes, bool single = false)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var pairs = single ? [bytes] : Fields(bytes).Where(f => f.Number == 1).Select(f => f.Bytes);
        foreach (var kv in pairs)
        {
            string? key = null, value = null;
            foreach (var f in Fields(kv))
            {
                if (f.Number == 1)
                {
                    key = System.Text.Encoding.UTF8.GetString(f.Bytes);
                }
                else if (f.Number == 2)
                {
                    var any = Fields(f.Bytes).FirstOrDefault();
                    value = any.Number switch
                    {
                        1 => System.Text.Encoding.UTF8.GetString(any.Bytes),
                        2 or 3 => any.Varint.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => "?",
                    };
                }
            }

            if (key is not null)
            {
                result[key] = value ?? string.Empty;
            }
        }

        return result;
    }

    private readonly record struct Field(int Number, byte[] Bytes, ulong Varint);

    /// <summary>The fields of one protobuf message: varints, length-delimited bytes; fixed 32/64 are skipped.</summary>
    private static List<Field> Fields(byte[] data)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < data.Length)
        {
            var tag = Varint(data, ref i);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0: fields.Add(new Field(number, [], Varint(data, ref i))); break;
                case 1: i += 8; break;
                case 2:
                    var length = (int)Varint(data, ref i);
                    fields.Add(new Field(number, data[i..(i + length)], 0));
                    i += length;
                    break;
                case 5: i += 4; break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {tag & 7}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
