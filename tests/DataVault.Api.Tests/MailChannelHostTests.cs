using DataVault.Vault.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Api.Tests;

/// <summary>The mail channel as the host runs it: its background delivery, and where mail goes in each environment.</summary>
public sealed class MailChannelHostTests
{
    [Fact]
    public async Task Send_HostWithSmtpServer_DeliversInTheBackground()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        using var client = await app.CreateClientAsync();

        var queued = await app.Services.GetRequiredService<IMailChannel>().SendAsync(
            new OutgoingMail("olga@example.com", "Notice", "A notice.", null, "en", "notice", null), CancellationToken.None);

        Assert.Equal("o***@example.com", queued.Value!.MaskedRecipient);
        var message = await smtp.WaitForMessageToAsync("olga@example.com");
        Assert.Equal("Notice", message.Subject);
        Assert.Contains(app.Monitor.Lines, line => line.Contains("Outbound e-mail goes to SMTP 127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_TestingEnvironmentWithoutSmtp_SaysOnceThatMailIsWrittenAsEmlFiles()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var notice = Assert.Single(app.Monitor.Lines, line => line.Contains("No SMTP server is configured", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(app.DataDirectory, "mail"), notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithoutMailServer_RefusesWithAMessageThatSaysWhatToSet()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Production" });

        var refused = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("No mail server is configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:Smtp:Host", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:PickupDirectory", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SmtpHostWithoutSenderAddress_Refuses()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Mail:Smtp:Host"] = "smtp.example.com" });

        var refused = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Mail:Smtp:FromAddress", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithPickupDirectory_Starts()
    {
        using var pickup = new TempDirectory();
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Mail:PickupDirectory"] = pickup.Path,
        });

        Assert.NotNull(app.Services.GetRequiredService<IMailChannel>());
        Assert.Contains(app.Monitor.Lines, line => line.Contains($"Outbound e-mail goes to .eml files in {pickup.Path}", StringComparison.Ordinal));
    }
}
