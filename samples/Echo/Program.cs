using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.App;
using Hearth.Worker;

// Two endpoints the tests and benchmarks use. `dotnet run --project samples/Echo` starts the control plane and
// their workers; every job's input is returned as its output, obeying sleep_ms, fail and hang.
var app = HearthApp.Create(args);

app.Endpoint("echo", e => e.Cpu("cpu3c-1-2").Workers(1, 3).ExecutionTimeout(TimeSpan.FromMinutes(5)))
   .Handle<JsonElement, JsonElement>(Echo.HandleAsync);

app.Endpoint("echo-stream", e => e.Cpu("cpu3c-1-2").Workers(1, 2))
   .Stream<StreamRequest, Chunk>(Echo.StreamAsync);

// Scales to zero one second after each job: every job after a pause pays a cold start (bench/cold-start.py measures it).
app.Endpoint("echo-cold", e => e.Cpu("cpu3c-1-2").Workers(0, 1).IdleTimeout(TimeSpan.FromSeconds(1)))
   .Handle<JsonElement, JsonElement>(Echo.HandleAsync);

// Fans out: calls echo once per word, in parallel, each call with its own timeout; a stuck call fails alone.
app.Endpoint("fanout", e => e.Cpu("cpu3c-1-2").Workers(1, 2).ExecutionTimeout(TimeSpan.FromSeconds(60)).Calls("echo"))
   .Handle<FanoutRequest, FanoutResult>(async (request, ctx, ct) =>
   {
       async Task<string> CallOne(string word)
       {
           var input = JsonSerializer.SerializeToElement(new { word, sleep_ms = request.SleepMs, hang = word == request.HangWord });
           try
           {
               var output = await ctx.CallAsync<JsonElement, JsonElement>("echo", input, TimeSpan.FromMilliseconds(request.CallTimeoutMs), cancellationToken: ct);
               return output.GetProperty("word").GetString()!;
           }
           catch (CallFailedException e) when (request.Tolerant)
           {
               return e.Status; // one stuck callee costs its own answer, not the whole fan-out
           }
       }

       return new FanoutResult(await Task.WhenAll(request.Words.Select(CallOne)));
   });

// A three-step agent whose steps count their real executions in a file (tests kill its worker mid-run and check that
// the finished step is replayed from the journal, not run again).
app.Endpoint("agent", e => e.Cpu("cpu3c-1-2").Workers(1, 1).ExecutionTimeout(TimeSpan.FromMinutes(2)))
   .Handle<AgentRequest, AgentResult>(async (request, ctx, ct) =>
   {
       async Task<string> Count(string step)
       {
           await File.AppendAllTextAsync(request.CounterFile, step + "\n", ct);
           return step;
       }

       var plan = await ctx.StepAsync("plan", _ => Count("plan"), cancellationToken: ct);
       var work = await ctx.StepAsync("work", async token =>
       {
           var done = await Count("work");
           await Task.Delay(request.WorkMs, token);
           return done;
       }, cancellationToken: ct);
       var finish = await ctx.StepAsync("finish", _ => Count("finish"), cancellationToken: ct);
       return new AgentResult([plan, work, finish], ctx.IsRehydrated, ctx.ReplayedSteps);
   });

return await app.RunAsync();

/// <summary>Input of echo-stream: how many chunks, how far apart.</summary>
internal sealed record StreamRequest(int Count = 3, [property: JsonPropertyName("sleep_ms")] int SleepMs = 0);

/// <summary>Input of fanout.</summary>
internal sealed record FanoutRequest(
    string[] Words,
    [property: JsonPropertyName("sleep_ms")] int SleepMs = 0,
    [property: JsonPropertyName("call_timeout_ms")] int CallTimeoutMs = 10_000,
    [property: JsonPropertyName("hang_word")] string? HangWord = null,
    bool Tolerant = false);

/// <summary>Output of fanout: the words as echo returned them, in order.</summary>
internal sealed record FanoutResult(string[] Words);

/// <summary>Input of agent: where to count step executions, and how long its middle step works.</summary>
internal sealed record AgentRequest([property: JsonPropertyName("counter_file")] string CounterFile, [property: JsonPropertyName("work_ms")] int WorkMs = 0);

/// <summary>Output of agent.</summary>
internal sealed record AgentResult(string[] Steps, bool Rehydrated, int Replayed);

/// <summary>One chunk of echo-stream.</summary>
internal sealed record Chunk(int I);

internal static class Echo
{
    /// <summary>Returns the input; first waits <c>sleep_ms</c>, fails with <c>fail</c>, or never returns with <c>hang</c> (deaf to cancellation too with <c>ignore_cancel</c>).</summary>
    public static async Task<JsonElement> HandleAsync(JsonElement input, JobContext context, CancellationToken cancellationToken)
    {
        if (input.ValueKind == JsonValueKind.Object)
        {
            if (input.TryGetProperty("sleep_ms", out var sleep) && sleep.TryGetInt32(out var ms) && ms > 0)
            {
                await Task.Delay(ms, cancellationToken);
            }

            if (input.TryGetProperty("fail", out var fail))
            {
                throw new InvalidOperationException(fail.ValueKind == JsonValueKind.String ? fail.GetString() : "requested failure");
            }

            if (input.TryGetProperty("hang", out var hang) && hang.ValueKind == JsonValueKind.True)
            {
                // ignore_cancel plays a runaway handler (a stuck native call, a busy loop): the platform must kill it.
                var runaway = input.TryGetProperty("ignore_cancel", out var ignore) && ignore.ValueKind == JsonValueKind.True;
                await Task.Delay(Timeout.Infinite, runaway ? CancellationToken.None : cancellationToken);
            }
        }

        return input;
    }

    /// <summary>Yields <c>count</c> chunks <c>{"i": n}</c>, <c>sleep_ms</c> apart.</summary>
    public static async IAsyncEnumerable<Chunk> StreamAsync(StreamRequest request, JobContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (i > 0 && request.SleepMs > 0)
            {
                await Task.Delay(request.SleepMs, cancellationToken);
            }

            yield return new Chunk(i);
        }
    }
}
