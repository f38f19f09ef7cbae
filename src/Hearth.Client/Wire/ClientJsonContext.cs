using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Client.Wire;

/// <summary>Source-generated serializers for the wire records: camelCase names, nulls left out, case-insensitive
/// reads.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(RunRequestWire))]
[JsonSerializable(typeof(StatusWire))]
[JsonSerializable(typeof(BatchRequestWire))]
[JsonSerializable(typeof(BatchResponseWire))]
[JsonSerializable(typeof(StreamWire))]
[JsonSerializable(typeof(PurgeWire))]
[JsonSerializable(typeof(HealthWire))]
[JsonSerializable(typeof(ErrorWire))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
