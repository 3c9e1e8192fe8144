using System.Text;
using DataVault.Testing;

namespace DataVault.Client.Tests;

public sealed class WebhookVerifierTests
{
    // The test vector published with the Standard Webhooks specification.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string SpecTimestamp = "1614265330";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] SpecBody = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");

    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.100",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.300",
        ["Webhooks:PollInterval"] = "00:00:00.100",
    };

    private static WebhookVerifier AtSpecTime(TimeSpan offset, params string[] secrets) =>
        new(secrets.Length == 0 ? [SpecSecret] : secrets, time: new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1614265330) + offset));

    [Fact]
    public void VerifySignature_SpecificationTestVector_Verifies()
    {
        AtSpecTime(TimeSpan.Zero).VerifySignature(SpecId, SpecTimestamp, SpecSignature, SpecBody);
    }

    [Fact]
    public void VerifySignature_SeveralSignatures_AnyOneThatVerifiesIsEnough()
    {
        var header = "v1,Zm9vYmFyYmF6Zm9vYmFyYmF6Zm9vYmFyYmF6Zm9vYmE= v1a,whatever " + SpecSignature;

        AtSpecTime(TimeSpan.Zero).VerifySignature(SpecId, SpecTimestamp, header, SpecBody);
    }

    [Theory]
    [InlineData("msg_other", SpecTimestamp, SpecSignature, "{\"test\": 2432232314}")]
    [InlineData(SpecId, SpecTimestamp, SpecSignature, "{\"test\": 2432232315}")]
    [InlineData(SpecId, "1614265331", SpecSignature, "{\"test\": 2432232314}")]
    [InlineData(SpecId, SpecTimestamp, "v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "{\"test\": 2432232314}")]
    [InlineData(SpecId, SpecTimestamp, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "{\"test\": 2432232314}")]
    [InlineData(SpecId, SpecTimestamp, "v1,not-base64", "{\"test\": 2432232314}")]
    [InlineData(SpecId, "not-a-time", SpecSignature, "{\"test\": 2432232314}")]
    [InlineData(SpecId, SpecTimestamp, "", "{\"test\": 2432232314}")]
    [InlineData("", SpecTimestamp, SpecSignature, "{\"test\": 2432232314}")]
    public void VerifySignature_AnythingAltered_Refused(string id, string timestamp, string signature, string body)
    {
        Assert.Throws<WebhookVerificationException>(() => AtSpecTime(TimeSpan.Zero).VerifySignature(id, timestamp, signature, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void VerifySignature_WrongSecret_Refused_ButAcceptedWhenTheRightOneIsAmongSeveral()
    {
        const string other = "whsec_Zm9vYmFyYmF6Zm9vYmFyYmF6Zm9vYmFyYmF6";

        Assert.Throws<WebhookVerificationException>(() => AtSpecTime(TimeSpan.Zero, other).VerifySignature(SpecId, SpecTimestamp, SpecSignature, SpecBody));
        AtSpecTime(TimeSpan.Zero, other, SpecSecret).VerifySignature(SpecId, SpecTimestamp, SpecSignature, SpecBody);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void VerifySignature_TimestampOutsideTheTolerance_RefusedEitherWay(int seconds)
    {
        AtSpecTime(TimeSpan.FromSeconds(seconds > 0 ? 300 : -300)).VerifySignature(SpecId, SpecTimestamp, SpecSignature, SpecBody);

        Assert.Throws<WebhookVerificationException>(() => AtSpecTime(TimeSpan.FromSeconds(seconds)).VerifySignature(SpecId, SpecTimestamp, SpecSignature, SpecBody));
    }

    [Fact]
    public void Verify_SignedBodyThatIsNoEvent_Refused()
    {
        Assert.Throws<WebhookVerificationException>(() => AtSpecTime(TimeSpan.Zero).Verify(SpecId, SpecTimestamp, SpecSignature, SpecBody));
    }

    [Fact]
    public void Constructor_NotASecret_Refused()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier("whsec_%%%"));
        Assert.Throws<ArgumentException>(() => new WebhookVerifier(Array.Empty<string>()));
    }

    [Fact]
    public async Task Verify_RealDeliveryOfAWithdrawal_VerifiesAndReadsTheFeedsEvent_AlsoAcrossARotation()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var app = new ClientTestApplication(Fast);
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var created = await vault.CreateWebhookSubscriptionAsync(new CreateWebhookSubscriptionRequest { Url = listener.Url, EventTypes = [ChangeEventTypes.ConsentWithdrawn, ChangeEventTypes.SubjectErased] });
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);

        await vault.RecordConsentAsync(subjectId, TestData.Consent(TestData.MarketingEmail, "withdrawn"));
        var delivery = await listener.NextAsync();
        var pushed = new WebhookVerifier(created.Secret).Verify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body);

        Assert.Equal((ChangeEventTypes.ConsentWithdrawn, subjectId, delivery.Id), (pushed.Type, pushed.Data.SubjectId, pushed.Data.Id));
        Assert.Equal([TestData.MarketingEmail], pushed.Data.Purposes);
        var fed = await vault.ReadAllChangesAsync().Select(item => item.Change.Id).ToListAsync();
        Assert.Contains(pushed.Data.Id, fed);

        // While the old secret overlaps, deliveries carry both signatures: a receiver on either verifies.
        var rotated = await vault.RotateWebhookSecretAsync(created.Subscription.Id, new RotateWebhookSecretRequest { OverlapSeconds = 60 });
        await vault.EraseSubjectAsync(subjectId);
        var erased = await listener.NextAsync();
        Assert.Equal(2, erased.Signature.Split(' ').Length);
        Assert.Equal(ChangeEventTypes.SubjectErased, new WebhookVerifier(created.Secret).Verify(erased.Id, erased.Timestamp, erased.Signature, erased.Body).Type);
        Assert.Equal(ChangeEventTypes.SubjectErased, new WebhookVerifier(rotated.Secret).Verify(erased.Id, erased.Timestamp, erased.Signature, erased.Body).Type);
        Assert.Throws<WebhookVerificationException>(() => new WebhookVerifier(created.Secret).Verify(erased.Id, erased.Timestamp, erased.Signature, [.. erased.Body, (byte)' ']));
    }
}
