using System.ComponentModel;
using System.Diagnostics;

namespace Hearth.Scaling.Gpus;

/// <summary>Running the real <c>nvidia-smi</c>.</summary>
public static partial class NvidiaSmi
{
    /// <summary>The problem reported when the binary is missing.</summary>
    public const string NotFound = "nvidia-smi not found: no NVIDIA GPU on this machine";

    /// <summary>Runs <c>nvidia-smi</c> from the <c>PATH</c> and parses its output.</summary>
    /// <param name="cancellationToken">Stops the probe (and kills <c>nvidia-smi</c>, which can hang on a wedged
    /// driver).</param>
    /// <returns>The GPUs found, or none with the problem.</returns>
    public static Task<GpuProbeResult> ProbeAsync(CancellationToken cancellationToken = default) =>
        ProbeAsync("nvidia-smi", cancellationToken);

    /// <summary>Runs the given <c>nvidia-smi</c> executable and parses its output.</summary>
    /// <param name="executable">Path or name of the <c>nvidia-smi</c> binary.</param>
    /// <param name="cancellationToken">Stops the probe and kills the process.</param>
    /// <returns>The GPUs found, or none with the problem.</returns>
    public static async Task<GpuProbeResult> ProbeAsync(
        string executable, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return new GpuProbeResult([], NotFound);
        }

        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return Parse(await stdout.ConfigureAwait(false), process.ExitCode, await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the cancellation and the kill: nothing left to stop.
            }

            throw;
        }
    }
}
