using System.Text.Json;
using Hearth.Worker;

namespace Hearth.App.Endpoints;

/// <summary>An endpoint declared in code, waiting for (or holding) its handler.</summary>
public sealed class EndpointRegistration
{
    internal EndpointRegistration(EndpointBuilder builder) => Builder = builder;

    internal EndpointBuilder Builder { get; }

    internal JobHandler? Handler { get; private set; }

    /// <summary>The handler: <c>Task&lt;TOut&gt; Handle(TIn input, JobContext ctx, CancellationToken ct)</c>.</summary>
    public EndpointRegistration Handle<TIn, TOut>(
        Func<TIn, JobContext, CancellationToken, Task<TOut>> handler, JsonSerializerOptions? json = null) =>
        Set(JobHandler.Create(handler, json));

    /// <summary>A streaming handler: every yielded chunk goes to the job's stream as it is produced.</summary>
    public EndpointRegistration Stream<TIn, TChunk>(
        Func<TIn, JobContext, CancellationToken, IAsyncEnumerable<TChunk>> handler,
        JsonSerializerOptions? json = null) =>
        Set(JobHandler.Stream(handler, json));

    private EndpointRegistration Set(JobHandler handler)
    {
        if (Handler is not null)
        {
            throw new InvalidOperationException(
                $"Endpoint '{Builder.Build().Name}' already has a handler; an endpoint runs exactly one.");
        }

        Handler = handler;
        return this;
    }
}
