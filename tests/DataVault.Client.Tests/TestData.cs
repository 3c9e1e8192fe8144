namespace DataVault.Client.Tests;

/// <summary>Fake subjects and consent requests (no real person's data).</summary>
internal static class TestData
{
    public const string MarketingEmail = "marketing-email";
    public const string ServiceDelivery = "service-delivery";
    public const string Analytics = "analytics";

    public static CreateSubjectRequest Subject(string email = "ana.garcia@example.com", string givenName = "Ana", params string[] interests) => new()
    {
        Fields = new Dictionary<string, object>
        {
            ["email"] = email,
            ["given_name"] = givenName,
            ["family_name"] = "García",
            ["phone"] = "+34 600 123 456",
            ["preferred_language"] = "es",
            ["interests"] = interests.Length == 0 ? new[] { "travel", "books" } : interests,
        },
    };

    public static RecordConsentRequest Consent(string purposeId, string state = "given", string evidence = "signup-form-v3") => new()
    {
        PurposeId = purposeId,
        State = state,
        NoticeLanguage = "es",
        Evidence = evidence,
    };

    public static async Task<string> CreateConsentedSubjectAsync(IDataVaultApiClient vault, string email = "ana.garcia@example.com", string givenName = "Ana")
    {
        var subject = await vault.CreateSubjectAsync(Subject(email, givenName));
        await vault.RecordConsentAsync(subject.Id, Consent(MarketingEmail));
        return subject.Id;
    }
}
