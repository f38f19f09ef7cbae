using System.Text.Json;

namespace Hearth.Worker;

/// <summary>
/// A job handler: typed input in, typed output out (<see cref="Create{TIn,TOut}"/>), or a stream of chunks
/// (<see cref="Stream{TIn,TChunk}"/>). The cancellation token fires when the control plane stops the job
/// (timeout, cancel), when the worker lost the job's lease, or when a drain runs out.
/// </summary>
public abstract class JobHandler
{
    private protected JobHandler(JsonSerializerOptions? options) => Json = options ?? JsonSerializerOptions.Web;

    /// <summary>Serializer options for input and output (default: web defaults; pass options with a source-generated
    /// context for AOT).</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>True when the handler yields chunks.</summary>
    public abstract bool IsStreaming { get; }

    /// <summary>Runs the handler; streaming handlers call <paramref name="emit"/> per chunk. Returns the final
    /// output.</summary>
    internal abstract Task<JsonElement> RunAsync(
        JobContext context, Func<JsonElement, CancellationToken, Task> emit, CancellationToken cancellationToken);

    /// <summary>A handler returning one output.</summary>
    public static JobHandler Create<TIn, TOut>(
        Func<TIn, JobContext, CancellationToken, Task<TOut>> handler, JsonSerializerOptions? options = null) =>
        new Single<TIn, TOut>(handler, options);

    /// <summary>A handler yielding chunks, each sent to the job's stream as it is produced.</summary>
    public static JobHandler Stream<TIn, TChunk>(
        Func<TIn, JobContext, CancellationToken, IAsyncEnumerable<TChunk>> handler,
        JsonSerializerOptions? options = null) =>
        new Streaming<TIn, TChunk>(handler, options);

    private protected TIn Input<TIn>(JobContext context)
    {
        try
        {
            return context.Input.Deserialize<TIn>(Json)!;
        }
        catch (JsonException e)
        {
            throw new JobInputException($"The job input does not match {typeof(TIn).Name}: {e.Message}", e);
        }
    }

    private sealed class Single<TIn, TOut>(Func<TIn, JobContext, CancellationToken, Task<TOut>> handler,
        JsonSerializerOptions? options) : JobHandler(options)
    {
        public override bool IsStreaming => false;

        internal override async Task<JsonElement> RunAsync(
            JobContext context, Func<JsonElement, CancellationToken, Task> emit, CancellationToken cancellationToken)
        {
            var output = await handler(Input<TIn>(context), context, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.SerializeToElement(output, Json);
        }
    }

    private sealed class Streaming<TIn, TChunk>(
        Func<TIn, JobContext, CancellationToken, IAsyncEnumerable<TChunk>> handler,
        JsonSerializerOptions? options) : JobHandler(options)
    {
        public override bool IsStreaming => true;

        internal override async Task<JsonElement> RunAsync(
            JobContext context, Func<JsonElement, CancellationToken, Task> emit, CancellationToken cancellationToken)
        {
            var all = new List<JsonElement>();
            await foreach (var chunk in handler(Input<TIn>(context), context, cancellationToken)
                .WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var element = JsonSerializer.SerializeToElement(chunk, Json);
                all.Add(element);
                await emit(element, cancellationToken).ConfigureAwait(false);
            }

            return JsonSerializer.SerializeToElement(all, Json);
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
