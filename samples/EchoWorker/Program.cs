using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Worker;

// A worker-only app: the echo handler on its own, published with Native AOT (see EchoWorker.csproj). Any control
// plane that speaks the Runpod worker protocol runs it; in hearth.yaml:
//   - name: echo
//     cpu: cpu3c-1-2
//     command: ./out/echo-worker/EchoWorker
// Every job's input is its output; sleep_ms waits first, fail fails the job.
return await WorkerMain.RunAsync(JobHandler.Create<JsonElement, JsonElement>(async (input, context, ct) =>
{
    if (input.ValueKind == JsonValueKind.Object)
    {
        if (input.TryGetProperty("sleep_ms", out var sleep) && sleep.TryGetInt32(out var ms) && ms > 0)
        {
            await Task.Delay(ms, ct);
        }

        if (input.TryGetProperty("fail", out var fail))
        {
            throw new InvalidOperationException(fail.ValueKind == JsonValueKind.String ? fail.GetString() : "requested failure");
        }
    }

    return input;
}, EchoJson.Default.JsonElement, EchoJson.Default.JsonElement));

/// <summary>The contracts the handler reads and writes, generated at build time (no reflection).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class EchoJson : JsonSerializerContext;
