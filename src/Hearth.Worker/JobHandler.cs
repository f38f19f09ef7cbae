using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hearth.Worker;

/// <summary>
/// A job handler: typed input in, typed output out (<c>Create</c>), or a stream of chunks (<c>Stream</c>). The
/// overloads that take <see cref="JsonTypeInfo{T}"/> contracts (from a <c>JsonSerializerContext</c>) are trim-safe,
/// for Native AOT worker apps; those that take <see cref="JsonSerializerOptions"/> reflect unless the options carry a
/// source-generated resolver. The cancellation token fires when the control plane stops the job
/// (timeout, cancel), when the worker lost the job's lease, or when a drain runs out.
/// </summary>
public abstract class JobHandler
{
    private protected JobHandler(JsonSerializerOptions options) => Json = options;

    /// <summary>Serializer options of input and output (those of the type contracts the handler was created
    /// with).</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>True when the handler yields chunks.</summary>
    public abstract bool IsStreaming { get; }

    /// <summary>Runs the handler; streaming handlers call <paramref name="emit"/> per chunk. Returns the final
    /// output.</summary>
    internal abstract Task<JsonElement> RunAsync(
        JobContext context, Func<JsonElement, CancellationToken, Task> emit, CancellationToken cancellationToken);

    /// <summary>A handler returning one output, its input and output read and written with
    /// <paramref name="options"/> (default: web defaults, reflection-based).</summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public static JobHandler Create<TIn, TOut>(
        Func<TIn, JobContext, CancellationToken, Task<TOut>> handler, JsonSerializerOptions? options = null) =>
        Create(handler, WorkerJson.Info<TIn>(options), WorkerJson.Info<TOut>(options));

    /// <summary>A handler returning one output, with source-generated contracts for its input and output (trim-safe:
    /// for Native AOT worker apps).</summary>
    public static JobHandler Create<TIn, TOut>(Func<TIn, JobContext, CancellationToken, Task<TOut>> handler,
        JsonTypeInfo<TIn> input, JsonTypeInfo<TOut> output)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        return new Single<TIn, TOut>(handler, input, output);
    }

    /// <summary>A handler yielding chunks, each sent to the job's stream as it is produced.</summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public static JobHandler Stream<TIn, TChunk>(
        Func<TIn, JobContext, CancellationToken, IAsyncEnumerable<TChunk>> handler,
        JsonSerializerOptions? options = null) =>
        Stream(handler, WorkerJson.Info<TIn>(options), WorkerJson.Info<TChunk>(options));

    /// <summary>A handler yielding chunks, with source-generated contracts for its input and chunks
    /// (trim-safe).</summary>
    public static JobHandler Stream<TIn, TChunk>(
        Func<TIn, JobContext, CancellationToken, IAsyncEnumerable<TChunk>> handler,
        JsonTypeInfo<TIn> input, JsonTypeInfo<TChunk> chunk)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(chunk);
        return new Streaming<TIn, TChunk>(handler, input, chunk);
    }

    private static TIn Input<TIn>(JobContext context, JsonTypeInfo<TIn> type)
    {
        try
        {
            return context.Input.Deserialize(type)!;
        }
        catch (JsonException e)
        {
            throw new JobInputException($"The job input does not match {typeof(TIn).Name}: {e.Message}", e);
        }
    }

    private sealed class Single<TIn, TOut>(Func<TIn, JobContext, CancellationToken, Task<TOut>> handler,
        JsonTypeInfo<TIn> input, JsonTypeInfo<TOut> output) : JobHandler(output.Options)
    {
        public override bool IsStreaming => false;

        internal override async Task<JsonElement> RunAsync(
            JobContext context, Func<JsonElement, CancellationToken, Task> emit, CancellationToken cancellationToken)
        {
            var result = await handler(Input(context, input), context, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.SerializeToElement(result, output);
        }
    }

    private sealed class Streaming<TIn, TChunk>(
        Func<TIn, JobContext, CancellationToken, IAsyncEnumerable<TChunk>> handler,
        JsonTypeInfo<TIn> input, JsonTypeInfo<TChunk> chunkType) : JobHandler(chunkType.Options)
    {
        public override bool IsStreaming => true;

        internal override async Task<JsonElement> RunAsync(
            JobContext context, Func<JsonElement, CancellationToken, Task> emit, CancellationToken cancellationToken)
        {
            var all = new List<JsonElement>();
            await foreach (var chunk in handler(Input(context, input), context, cancellationToken)
                .WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var element = JsonSerializer.SerializeToElement(chunk, chunkType);
                all.Add(element);
                await emit(element, cancellationToken).ConfigureAwait(false);
            }

            return JsonSerializer.SerializeToElement(all, WorkerJson.Default.ListJsonElement);
        }
    }
}

/// <summary>The job's input could not be read as the handler's input type.</summary>
public sealed class JobInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobInputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobInputException(string message)
        : base(message)
    {
    }
}
