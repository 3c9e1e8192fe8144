namespace DataVault.Testing;

/// <summary>
/// The controller the test hosts are configured with: outside Development the service refuses to start
/// without one (<c>Controller:Name</c> and <c>Controller:ContactEmail</c>), and tests run it as deployed.
/// </summary>
internal static class TestController
{
    public const string Name = "Example Retail Test S.L.";

    public const string ContactEmail = "privacy@retail.example";

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Controller:Name"] = Name,
        ["Controller:ContactEmail"] = ContactEmail,
    };
}
