using Microsoft.Extensions.Options;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Checks <see cref="WebhookOptions"/> at start-up; each failure names the setting, the bad value and the fix.
/// </summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <summary>The largest <see cref="WebhookOptions.MaxAttempts"/> accepted.</summary>
    public const int MaxAttemptsLimit = 20;

    /// <summary>The longest <see cref="WebhookOptions.RetryDelay"/> or <see cref="WebhookOptions.RequestTimeout"/>
    /// accepted.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private const string Prefix = WebhookOptions.SectionName + ":";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // The secret's value must never appear in an error message, so only its shape is described.
        if (options.SigningSecret is not null
            && !WebhookSigner.TryDecodeSecret(options.SigningSecret, out _, out var secretError))
        {
            failures.Add($"{Prefix}SigningSecret is invalid: {secretError}. Generate one with "
                + "WebhookSigner.GenerateSecret() or leave it unset to have one generated at start-up.");
        }

        if (options.PreviousSigningSecret is not null)
        {
            if (options.SigningSecret is null)
            {
                failures.Add($"{Prefix}PreviousSigningSecret is set without {Prefix}SigningSecret; set the new secret "
                    + "as SigningSecret and the one it replaces as PreviousSigningSecret.");
            }
            else if (!WebhookSigner.TryDecodeSecret(options.PreviousSigningSecret, out _, out var previousError))
            {
                failures.Add($"{Prefix}PreviousSigningSecret is invalid: {previousError}.");
            }
        }

        for (var i = 0; i < options.AllowedCidrs.Count; i++)
        {
            var cidr = options.AllowedCidrs[i];
            if (!CidrRange.TryParse(cidr, out _))
            {
                failures.Add($"{Prefix}AllowedCidrs[{i}] is '{cidr}', which is not a CIDR range; write it as "
                    + "address/prefix, for example 10.1.0.0/16 or fd00::/8.");
            }
        }

        if (options.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            failures.Add($"{Prefix}MaxAttempts is {options.MaxAttempts}; set it between 1 and {MaxAttemptsLimit} "
                + $"(default {WebhookOptions.DefaultMaxAttempts}).");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > LongestWait)
        {
            failures.Add($"{Prefix}RetryDelay is {options.RetryDelay}; set it between 00:00:00 and {LongestWait} "
                + $"(default {WebhookOptions.DefaultDelayAndTimeout}).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > LongestWait)
        {
            failures.Add($"{Prefix}RequestTimeout is {options.RequestTimeout}; set it above zero and at most "
                + $"{LongestWait} (default {WebhookOptions.DefaultDelayAndTimeout}).");
        }

        if (options.MaxConcurrentDeliveries is < 1 or > 10_000)
        {
            failures.Add($"{Prefix}MaxConcurrentDeliveries is {options.MaxConcurrentDeliveries}; set it between 1 and "
                + "10000 (default 64).");
        }

        if (options.MaxConcurrentPerTarget < 1 || options.MaxConcurrentPerTarget > options.MaxConcurrentDeliveries)
        {
            failures.Add($"{Prefix}MaxConcurrentPerTarget is {options.MaxConcurrentPerTarget}; set it between 1 and "
                + $"MaxConcurrentDeliveries ({options.MaxConcurrentDeliveries}; default 4).");
        }

        if (options.BreakDuration < TimeSpan.FromSeconds(1) || options.BreakDuration > LongestWait)
        {
            failures.Add($"{Prefix}BreakDuration is {options.BreakDuration}; set it between 00:00:01 and {LongestWait} "
                + "(default 00:00:30).");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Prefix}PollInterval is {options.PollInterval}; set it between 00:00:00.010 and 00:01:00 "
                + "(default 00:00:01).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
