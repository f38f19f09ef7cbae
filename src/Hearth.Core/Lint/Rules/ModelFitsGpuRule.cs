using Hearth.Core.Endpoints;
using Hearth.Core.Memory;

namespace Hearth.Core.Lint.Rules;

/// <summary>
/// HL010: a GPU endpoint that declares its model fits the GPUs it names, for the whole session — weights plus peak KV
/// cache times concurrency plus runtime overhead (seed: "size for peak context … not just the model checkpoint
/// size"). Without this, the job "starts, makes progress, runs out of memory, and fails silently".
/// </summary>
internal sealed class ModelFitsGpuRule : ILintRule
{
    public string Id => "HL010";

    public string Name => "model-fits-gpu";

    public void Check(IReadOnlyList<EndpointSpec> specs, LintContext context, ICollection<LintFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var path = $"{context.PathPrefix}[{i}]";
            if (spec.Model is not { } model || spec.IsCpu)
            {
                continue;
            }

            MemoryEstimate estimate;
            try
            {
                estimate = MemoryModel.Estimate(model, context.BaseDirectory);
            }
            catch (Exception e) when (e is ModelConfigException or IOException)
            {
                findings.Add(new(Id, LintSeverity.Error, $"{path}.model.config", e.Message,
                    "without the model's shape, nothing can check that a session fits the card",
                    "point model.config at the model's Hugging Face config.json (relative to hearth.yaml)."));
                continue;
            }

            var cards = spec.Gpu.SelectMany(GpuCatalog.Expand).DistinctBy(g => g.Id).ToList();
            if (cards.Count == 0)
            {
                continue;
            }

            var perGpu = (estimate.ReservationBytes + spec.GpuCount - 1) / spec.GpuCount;
            var misfits = cards.Where(g => MemoryModel.VramBytes(g) < perGpu).ToList();
            if (misfits.Count == 0)
            {
                continue;
            }

            var need = $"{perGpu / (double)MemoryModel.GiB:0.0} GiB per GPU (weights "
                + $"{estimate.WeightsBytes / (double)MemoryModel.GiB:0.0} GiB + {model.Concurrency} × "
                + $"{estimate.SessionPeakBytes / (double)MemoryModel.GiB:0.0} GiB session peak + overhead)";
            var names = string.Join(", ", misfits.Select(g => $"{g.Id} ({g.VramGb} GB)"));
            var all = misfits.Count == cards.Count;
            findings.Add(new(Id, all ? LintSeverity.Error : LintSeverity.Warning, $"{path}.gpu",
                $"the model needs {need}; it does not fit {names}",
                "a session that outgrows its card runs out of memory mid-task and fails (seed: size for the model plus "
                + "the KV cache at peak context)",
                $"run 'hearth plan --model {model.Config} --dtype {model.Dtype} --context {estimate.MaxContext} "
                + $"--concurrency {model.Concurrency}' and pin a card that fits, raise gpu_count, or lower "
                + "max_context, concurrency or the dtype."));
        }
    }
}
