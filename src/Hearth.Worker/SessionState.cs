using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hearth.Worker;

/// <summary>
/// <c>ctx.Session</c>: small named values kept with the job's session in the control plane's store (a job without a
/// <c>session_id</c> has its own), shared by later jobs of the session and by a worker that rehydrates it. Reads and
/// writes are fenced by the job's lease: a worker that lost the job gets <see cref="JobLeaseLostException"/>.
/// Each value is at most 10 MB of JSON, and a session holds at most 1000 keys.
/// </summary>
public sealed class SessionState
{
    /// <summary>Largest value: 10 MB of JSON, as for a journaled step.</summary>
    public const int MaxValueBytes = 10 * 1024 * 1024;

    private readonly WorkerProtocol _protocol;
    private readonly string _jobId;

    internal SessionState(WorkerProtocol protocol, string jobId)
    {
        _protocol = protocol;
        _jobId = jobId;
    }

    /// <summary>The value under <paramref name="key"/>, or <c>default</c> when it is unset.</summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public Task<T?> GetAsync<T>(
        string key, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        GetAsync(key, WorkerJson.Info<T>(options), cancellationToken);

    /// <summary>The value under <paramref name="key"/> read with the source-generated contract
    /// <paramref name="type"/> (trim-safe), or <c>default</c> when it is unset.</summary>
    public async Task<T?> GetAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        CheckKey(key);
        var value = await _protocol.GetStateAsync(_jobId, key, cancellationToken).ConfigureAwait(false);
        return value is { } v ? v.Deserialize(type) : default;
    }

    /// <summary>Sets the value under <paramref name="key"/> (a null value deletes it).</summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public Task SetAsync<T>(
        string key, T value, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, WorkerJson.Info<T>(options), cancellationToken);

    /// <summary>Sets the value under <paramref name="key"/> written with the source-generated contract
    /// <paramref name="type"/> (trim-safe; a null value deletes it).</summary>
    public Task SetAsync<T>(string key, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        CheckKey(key);
        var json = JsonSerializer.Serialize(value, type);
        CheckSize(json, $"session state '{key}'");
        return _protocol.PutStateAsync(_jobId, key, json, cancellationToken);
    }

    /// <summary>Deletes the value under <paramref name="key"/>.</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        return _protocol.PutStateAsync(_jobId, key, "null", cancellationToken);
    }

    /// <summary>Throws a clear error when a checkpoint is over <see cref="MaxValueBytes"/>.</summary>
    internal static void CheckSize(string json, string what)
    {
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxValueBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(json), bytes,
                $"{what} is {bytes / (1024.0 * 1024):0.0} MB of JSON; the limit is {MaxValueBytes / (1024 * 1024)} MB. "
                + "Keep large data (documents, embeddings, model output) in object storage or a "
                + "volume and journal its location.");
        }
    }

    private static void CheckKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200 || key.Any(char.IsControl))
        {
            throw new ArgumentException("A session state key is 1-200 printable characters, e.g. \"plan\".",
                nameof(key));
        }
    }
}
