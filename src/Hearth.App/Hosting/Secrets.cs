using System.Globalization;
using System.Text;
using Hearth.App.Keys;

namespace Hearth.App.Hosting;

/// <summary>
/// The secrets a control plane generated at start (client key, admin key, worker tokens, node token): printed in the
/// banner, or with <c>--secrets-file</c> written to a 0600 file in environment-file form and never printed (so they do
/// not end up in journald under the documented systemd setup). Secrets the operator gave are neither.
/// </summary>
internal sealed class Secrets(string? file)
{
    private readonly StringBuilder _lines = new();

    /// <summary>What the banner shows for a generated secret: the value, or where it is.</summary>
    public string Show(string variable, string value)
    {
        if (file is null)
        {
            return value;
        }

        _lines.Append(CultureInfo.InvariantCulture, $"{variable}={value}\n");
        return $"(in {file} as {variable})";
    }

    /// <summary>The variable a worker token is written as: <c>HEARTH_WORKER_TOKEN_</c> and the endpoint's name in
    /// capitals, other characters as '_'.</summary>
    public static string WorkerTokenVariable(string endpoint) => "HEARTH_WORKER_TOKEN_"
        + new string([.. endpoint.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]);

    /// <summary>Writes the file (when one was asked for); null when done, otherwise the problem.</summary>
    public string? Flush() => file is null ? null : SecretFile.Replace(file, _lines.ToString());
}
