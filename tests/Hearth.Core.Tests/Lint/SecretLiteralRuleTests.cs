using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class SecretLiteralRuleTests
{
    [Theory]
    [InlineData("OPENAI_API_KEY", "sk-live-abcdefghijklmnop1234")]
    [InlineData("HF_TOKEN", "hf_AbCdEfGhIjKlMnOpQrStUv")]
    [InlineData("GITHUB", "ghp_0123456789abcdefghijABCDEFGHIJ")]
    [InlineData("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("DATABASE_URL", "postgres://app:hunter2@db:5432/app")]
    [InlineData("SIGNING", "0123456789abcdef0123456789abcdef")]
    [InlineData("BLOB", "QWxhZGRpbjpPcGVuU2VzYW1lQWxhZGRpbjpPcGVuU2VzYW1l")]
    [InlineData("DB_PASSWORD", "hunter2")]
    [InlineData("anthropic_key", "plain")]
    public void A_literal_secret_is_an_error_that_never_shows_the_value(string name, string value)
    {
        var finding = Lint.Single("HL005", Lint.Clean with { Env = new Dictionary<string, string> { [name] = value } });
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal($"endpoints[0].env.{name}", finding.Path);
        Assert.Contains($"${{{name}}}", finding.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(value, finding.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPENAI_API_KEY", "${OPENAI_API_KEY}")]
    [InlineData("HF_TOKEN", "")]
    [InlineData("AUTH_HEADER", "Bearer ${TOKEN}")]
    [InlineData("MAX_TOKENS", "4096")]
    [InlineData("KEYBOARD_LAYOUT", "us")]
    [InlineData("LOG_LEVEL", "info")]
    [InlineData("MODEL_ID", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B")]
    [InlineData("MODEL_PATH", "/runpod-volume/models/llama-3.1-70b-instruct/weights")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")]
    public void References_and_ordinary_values_pass(string name, string value) =>
        Assert.Empty(Lint.Rule("HL005", Lint.Clean with { Env = new Dictionary<string, string> { [name] = value } }));
}
