using Hearth.Server.Webhooks;

namespace Hearth.Server.Tests.Webhooks;

public sealed class WebhookOptionsValidatorTests
{
    private readonly WebhookOptionsValidator validator = new();

    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new WebhookOptions();

        Assert.True(validator.Validate(null, options).Succeeded);
        Assert.Null(options.SigningSecret);
        Assert.Empty(options.AllowedCidrs);
        Assert.True(options.AllowHttp);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
    }

    [Fact]
    public void A_generated_secret_and_valid_cidrs_pass()
    {
        var options = new WebhookOptions { SigningSecret = WebhookSigner.GenerateSecret() };
        options.AllowedCidrs.Add("10.1.0.0/16");
        options.AllowedCidrs.Add("fd00::/8");

        Assert.True(validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Each_failure_names_the_setting_the_value_and_the_fix()
    {
        var options = new WebhookOptions
        {
            SigningSecret = "hunter2-not-a-whsec",
            MaxAttempts = 0,
            RetryDelay = TimeSpan.FromSeconds(-1),
            RequestTimeout = TimeSpan.Zero,
        };
        options.AllowedCidrs.Add("10.0.0.0/8");
        options.AllowedCidrs.Add("10/8");

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Webhooks:SigningSecret is invalid", StringComparison.Ordinal) && f.Contains("GenerateSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Webhooks:AllowedCidrs[1] is '10/8'", StringComparison.Ordinal) && f.Contains("10.1.0.0/16", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Webhooks:MaxAttempts is 0; set it between 1 and 20", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Webhooks:RetryDelay is -00:00:01", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Webhooks:RequestTimeout is 00:00:00", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("hunter2", StringComparison.Ordinal));
    }
}
