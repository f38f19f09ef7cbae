using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hearth.Client.Wire;

/// <summary>Converts between the public records and the wire records.</summary>
internal static class WireMapping
{
    public static RunRequestWire Request<TIn>(TIn input, RunOptions? options, JsonSerializerOptions json)
    {
        var inputElement = JsonSerializer.SerializeToElement(input, TypeInfo<TIn>(json));
        if (options is null)
        {
            return new RunRequestWire(inputElement, null, null, null);
        }

        PolicyWire? policy = null;
        if (options.ExecutionTimeout is not null || options.Ttl is not null || options.LowPriority)
        {
            policy = new PolicyWire(Milliseconds(options.ExecutionTimeout), Milliseconds(options.Ttl),
                options.LowPriority ? true : null);
        }

        JsonElement? s3 = options.S3Config is null
            ? null
            : JsonSerializer.SerializeToElement(options.S3Config, json.GetTypeInfo(options.S3Config.GetType()));
        return new RunRequestWire(inputElement, options.Webhook?.AbsoluteUri, policy, s3);
    }

    public static JobHandle Handle(StatusWire wire) => new(wire.Id ?? string.Empty, wire.Status ?? string.Empty);

    public static JobResult<TOut> Result<TOut>(StatusWire wire, JsonSerializerOptions json) => new()
    {
        Id = wire.Id ?? string.Empty,
        Status = wire.Status ?? string.Empty,
        DelayTime = Duration(wire.DelayTime),
        ExecutionTime = Duration(wire.ExecutionTime),
        WorkerId = wire.WorkerId,
        Output = Read(wire.Output, TypeInfo<TOut>(json)),
        Error = wire.Error switch
        {
            null => null,
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } e => e.GetString(),
            { } e => e.GetRawText(),
        },
    };

    public static EndpointHealth Health(HealthWire wire) => new()
    {
        Completed = wire.Jobs?.Completed ?? 0,
        Failed = wire.Jobs?.Failed ?? 0,
        InProgress = wire.Jobs?.InProgress ?? 0,
        InQueue = wire.Jobs?.InQueue ?? 0,
        Retried = wire.Jobs?.Retried ?? 0,
        Idle = wire.Workers?.Idle ?? 0,
        Initializing = wire.Workers?.Initializing ?? 0,
        Ready = wire.Workers?.Ready ?? 0,
        Running = wire.Workers?.Running ?? 0,
        Throttled = wire.Workers?.Throttled ?? 0,
        Unhealthy = wire.Workers?.Unhealthy ?? 0,
    };

    /// <summary>Reads a raw output or chunk as the caller's type; a missing or null value reads as default.</summary>
    public static T? Read<T>(JsonElement? element, JsonTypeInfo<T> typeInfo) =>
        element is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }
            ? default
            : element.Value.Deserialize(typeInfo);

    /// <summary>The caller's contract for <typeparamref name="T"/>: from their source-generated context, or reflection
    /// when the options allow it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions json) =>
        (JsonTypeInfo<T>)json.GetTypeInfo(typeof(T));

    private static long? Milliseconds(TimeSpan? value) =>
        value is { } v ? (long)Math.Ceiling(v.TotalMilliseconds) : null;

    private static TimeSpan? Duration(long? milliseconds) =>
        milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
