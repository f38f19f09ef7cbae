using System.CommandLine;
using Hearth.App.Hosting;
using Hearth.Core.Memory;

namespace Hearth.App.Plan;

/// <summary><c>hearth plan</c>: which GPU types hold a model's worker, from its Hugging Face
/// <c>config.json</c>.</summary>
internal static class PlanCommand
{
    public const string TextFormat = "text";
    public const string JsonFormat = "json";


    public static Command Create()
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "Path to the model's Hugging Face config.json (or its folder).",
            Required = true,
        };
        var dtype = new Option<string>("--dtype")
        {
            Description = "Weights dtype: fp32, fp16, bf16, fp8, int8 or int4.",
            DefaultValueFactory = _ => "bf16",
        };
        var kvDtype = new Option<string?>("--kv-dtype")
        {
            Description = "KV cache dtype (default: the weights dtype).",
        };
        var context = new Option<int?>("--context")
        {
            Description = "Longest context a session reaches, in tokens (default: the model's "
                + "max_position_embeddings).",
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Sessions one worker serves at once.",
            DefaultValueFactory = _ => 1,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output: a table (text) or one JSON object (json).",
            DefaultValueFactory = _ => TextFormat,
        };
        format.AcceptOnlyFromAmong(TextFormat, JsonFormat);
        var prices = new Option<string?>("--prices")
        {
            Description = "JSON or YAML price table, GPU id → $/h, to name the cheapest fit.",
        };
        var command = new Command("plan", """
            Size a model's worker in GPU memory and show which GPU types hold it: weights + concurrency × a
            full-context session's KV cache + runtime overhead, against each GPU type's VRAM.

            Examples:
              hearth plan --model models/llama-3-8b/config.json
              hearth plan --model config.json --dtype bf16 --context 32768 --concurrency 4
              hearth plan --model config.json --dtype fp8 --kv-dtype fp8 --prices prices.json --format json
            """) { model, dtype, kvDtype, context, concurrency, format, prices };
        command.SetAction((parse, ct) => RunAsync(
            new PlanSettings
            {
                Model = parse.GetValue(model)!,
                Dtype = parse.GetValue(dtype)!,
                KvDtype = parse.GetValue(kvDtype),
                Context = parse.GetValue(context),
                Concurrency = parse.GetValue(concurrency),
                Format = parse.GetValue(format)!,
                Prices = parse.GetValue(prices),
            },
            Console.Out,
            Console.Error,
            ct));
        return command;
    }

    /// <summary>Runs the plan and writes it to <paramref name="output"/>; problems go to
    /// <paramref name="error"/>.</summary>
    /// <returns>0, or 1 when the model config, a dtype, a number or the price table is wrong.</returns>
    public static async Task<int> RunAsync(
        PlanSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        PlanReport report;
        try
        {
            report = Build(settings);
        }
        catch (Exception e) when (e is ModelConfigException or ArgumentException or InvalidDataException)
        {
            await error.WriteLineAsync($"hearth plan: {e.Message}".AsMemory(), cancellationToken).ConfigureAwait(false);
            return 1;
        }

        if (settings.Format == JsonFormat)
        {
            await output.WriteLineAsync(PlanJson.Write(report).AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            PlanText.Write(report, TerminalConsole.Create(output));
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static PlanReport Build(PlanSettings settings)
    {
        if (settings.Format is not (TextFormat or JsonFormat))
        {
            throw new ArgumentException($"Unknown format '{settings.Format}'. Use {TextFormat} or {JsonFormat}.");
        }

        if (settings.Concurrency < 1)
        {
            throw new ArgumentException($"--concurrency {settings.Concurrency} is below 1. Fix: give the sessions one "
                + "worker serves at once, e.g. 1.");
        }

        if (settings.Context is < 1)
        {
            throw new ArgumentException($"--context {settings.Context} is below 1. Fix: give the longest context in "
                + "tokens, e.g. 32768, or leave it out.");
        }

        var config = HfModelConfig.Load(settings.Model);
        var prices = settings.Prices is null ? new Dictionary<string, decimal>() : PriceTable.Load(settings.Prices);
        var estimate = MemoryModel.Estimate(config, settings.Dtype, settings.KvDtype, settings.Context,
            settings.Concurrency);
        return PlanReport.Create(estimate, prices);
    }
}
