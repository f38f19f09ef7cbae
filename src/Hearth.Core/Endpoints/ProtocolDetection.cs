using System.Text.RegularExpressions;

namespace Hearth.Core.Endpoints;

/// <summary>
/// What an <see cref="WorkerProtocol.Auto"/> endpoint's workers show about themselves, and the protocol it settles
/// on. A worker's first result (job-done) decides: runpod-python 1.12 or later (its <c>User-Agent</c>) that took its
/// job alone gets <see cref="WorkerProtocol.Push"/>; anything else stays on <see cref="WorkerProtocol.Pull"/>. A
/// streamed chunk or a batch take, seen first, keeps it on pull for good: push would lose incremental
/// <c>/stream</c> and run one job at a time. Pure: the caller records the first decision per endpoint and command.
/// </summary>
public static partial class ProtocolDetection
{
    /// <summary>The oldest runpod-python whose realtime server (<c>RUNPOD_REALTIME_PORT</c>) Hearth has
    /// tested.</summary>
    public static readonly Version OldestPushSdk = new(1, 12);

    /// <summary>What a worker request shows.</summary>
    public enum Sign
    {
        /// <summary>A result (job-done) of a job taken alone.</summary>
        Result,

        /// <summary>A streamed chunk (job-stream).</summary>
        Stream,

        /// <summary>A batch take (job-take-batch): the worker runs several jobs at once.</summary>
        BatchTake,
    }

    /// <summary>The protocol <paramref name="sign"/> settles on, with the reason a person reads.</summary>
    public static (WorkerProtocol Protocol, string Reason) Decide(Sign sign, string? userAgent)
    {
        if (sign == Sign.Stream)
        {
            return (WorkerProtocol.Pull, "its handler streams (push would deliver no chunks until the end)");
        }

        if (sign == Sign.BatchTake)
        {
            return (WorkerProtocol.Pull, "its workers take several jobs at once (push runs one at a time)");
        }

        if (RunpodPython(userAgent) is not var (text, version))
        {
            return (WorkerProtocol.Pull, $"its workers are not runpod-python (User-Agent '{Clip(userAgent)}')");
        }

        return version is not null && version < OldestPushSdk
            ? (WorkerProtocol.Pull,
                $"runpod-python {version} is older than {OldestPushSdk}, whose realtime server push needs")
            : (WorkerProtocol.Push, $"runpod-python {text}, one job at a time, no streaming");
    }

    /// <summary>
    /// The runpod-python SDK in a <c>User-Agent</c> (<c>RunPod-Python-SDK/1.12.0 (Linux …) Language/Python 3.11</c>):
    /// its version as written, and parsed when it is a version (an SDK run from source, with no package metadata,
    /// says <c>unknown</c>: taken as current). Null when it is not runpod-python.
    /// </summary>
    public static (string Text, Version? Version)? RunpodPython(string? userAgent)
    {
        var m = userAgent is null ? Match.Empty : SdkAgent().Match(userAgent);
        if (!m.Success)
        {
            return null;
        }

        var text = m.Groups[1].Value;
        return (text, Version.TryParse(text, out var v) ? v : null);
    }

    private static string Clip(string? text) =>
        text is null ? string.Empty : text.Length > 60 ? text[..60] + "…" : text;

    [GeneratedRegex(@"^RunPod-Python-SDK/([^\s]+)")]
    private static partial Regex SdkAgent();
}
