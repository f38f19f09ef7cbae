using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Hearth.Worker;

/// <summary>
/// Source-generated serialization of what the SDK itself writes (span attributes, error reports, a stream's chunks
/// as one output): no reflection on a worker's path, so the SDK works in trimmed and Native AOT apps.
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<JsonElement>))]
internal sealed partial class WorkerJson : JsonSerializerContext
{
    /// <summary>Errors are read by people: no \u0027-style escapes for quotes and apostrophes.</summary>
    public static WorkerJson Readable { get; } = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>
    /// The contract of <typeparamref name="T"/> from <paramref name="options"/>: how the overloads that take
    /// options (reflection-based unless the options carry a source-generated resolver) reach the typed path.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(TypeInfoFromOptions)]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(TypeInfoFromOptions)]
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions? options)
    {
        options ??= JsonSerializerOptions.Web;
        options.MakeReadOnly(populateMissingResolver: true);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary>Why the options overloads are not trim-safe, and what to use instead.</summary>
    public const string TypeInfoFromOptions = "Serializer options without a source-generated resolver reflect over "
        + "the type; in a trimmed or Native AOT app use the overload that takes JsonTypeInfo<T> "
        + "(from a JsonSerializerContext).";
}
