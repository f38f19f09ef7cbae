using System.Text;
using Hearth.Server.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Server.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    // The published Standard Webhooks test vector (also in the Svix libraries' tests); reproduced independently
    // with: printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' | openssl dgst -sha256 -mac HMAC
    //   -macopt hexkey:$(printf MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p) -binary | base64
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(VectorBody);

    private readonly WebhookSigner signer = new(VectorSecret);
    private readonly FakeTimeProvider time = new(VectorTime);

    [Fact]
    public void During_a_rotation_receivers_with_the_old_or_the_new_secret_both_verify()
    {
        var next = WebhookSigner.GenerateSecret();
        var rotating = new WebhookSigner(next, previous: VectorSecret);
        var headers = rotating.Sign(VectorId, VectorTime, Body);

        // The old secret's entry is the published vector's; the new one's comes first.
        Assert.EndsWith(" " + VectorSignature, headers.Signature, StringComparison.Ordinal);
        Assert.True(signer.Verify(headers.Id, headers.Timestamp, headers.Signature, Body, time));
        Assert.True(new WebhookSigner(next).Verify(headers.Id, headers.Timestamp, headers.Signature, Body, time));
        Assert.False(new WebhookSigner(WebhookSigner.GenerateSecret())
            .Verify(headers.Id, headers.Timestamp, headers.Signature, Body, time));
    }

    [Fact]
    public void Sign_matches_the_published_test_vector()
    {
        var headers = signer.Sign(VectorId, VectorTime, Body);

        Assert.Equal(new WebhookSignatureHeaders(VectorId, "1614265330", VectorSignature), headers);
    }

    [Fact]
    public void Verify_accepts_the_published_test_vector()
    {
        Assert.True(signer.Verify(VectorId, "1614265330", VectorSignature, Body, time));
    }

    [Fact]
    public void Verify_fails_when_one_body_byte_changes()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;

        Assert.False(signer.Verify(VectorId, "1614265330", VectorSignature, tampered, time));
    }

    [Fact]
    public void Verify_fails_when_the_timestamp_changes()
    {
        Assert.False(signer.Verify(VectorId, "1614265331", VectorSignature, Body, time));
    }

    [Fact]
    public void Verify_fails_when_the_id_changes()
    {
        Assert.False(signer.Verify(VectorId + "x", "1614265330", VectorSignature, Body, time));
    }

    [Fact]
    public void Verify_fails_with_another_secret()
    {
        var other = new WebhookSigner(WebhookSigner.GenerateSecret());

        Assert.False(other.Verify(VectorId, "1614265330", VectorSignature, Body, time));
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(-301, false)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void Verify_enforces_a_five_minute_tolerance(int signedSecondsFromNow, bool expected)
    {
        var headers = signer.Sign(VectorId, time.GetUtcNow().AddSeconds(signedSecondsFromNow), Body);

        Assert.Equal(expected, signer.Verify(headers.Id, headers.Timestamp, headers.Signature, Body, time));
    }

    [Theory]
    [InlineData("v1,bm90IGEgc2lnbmF0dXJl " + VectorSignature, true)]
    [InlineData(VectorSignature + " v1,bm90IGEgc2lnbmF0dXJl", true)]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", false)]
    [InlineData("v1,not-base64!", false)]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", false)]
    [InlineData("", false)]
    public void Verify_accepts_any_matching_v1_entry_so_secrets_can_rotate(string signatureHeader, bool expected)
    {
        Assert.Equal(expected, signer.Verify(VectorId, "1614265330", signatureHeader, Body, time));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1614265330")]
    [InlineData("1614265330.0")]
    [InlineData("soon")]
    public void Verify_rejects_malformed_timestamps(string timestamp)
    {
        Assert.False(signer.Verify(VectorId, timestamp, VectorSignature, Body, time));
    }

    [Fact]
    public void GenerateSecret_makes_distinct_usable_32_byte_secrets()
    {
        var first = WebhookSigner.GenerateSecret();
        var second = WebhookSigner.GenerateSecret();

        Assert.StartsWith(WebhookSigner.SecretPrefix, first, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(first[WebhookSigner.SecretPrefix.Length..]).Length);
        Assert.NotEqual(first, second);
        var headers = new WebhookSigner(first).Sign("msg_1", VectorTime, Body);
        Assert.True(new WebhookSigner(first).Verify(headers.Id, headers.Timestamp, headers.Signature, Body, time));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_not*base64")]
    [InlineData("whsec_c2hvcnQ=")]
    public void Constructor_rejects_bad_secrets_without_echoing_them(string secret)
    {
        var error = Assert.Throws<ArgumentException>(() => new WebhookSigner(secret));

        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }
}
