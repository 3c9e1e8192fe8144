using System.Text;
using System.Text.Json;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Mail;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DataVault.Vault.Tests;

/// <summary>
/// The mail channel end to end below the web host: messages queued through <see cref="IMailChannel"/>,
/// delivered by <see cref="MailDelivery"/> through MailKit to a real SMTP server on loopback (or to a
/// pickup directory), retried, given up, erased, and audited with the recipient masked.
/// </summary>
public sealed class MailChannelTests
{
    private const string Recipient = "ana.garcia@example.com";
    private const string Link = "https://privacy.example.com/account/activate?token=secret-token-value";

    [Fact]
    public async Task DeliverDue_SmtpServerOnLoopback_DeliversThroughMailKitAndAuditsTheRecipientMasked()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var vault = await TestVault.StartAsync(settings: smtp.Settings);
        var subjectId = await CreateSubjectAsync(vault);

        var queued = await SendAsync(vault, Message(subjectId, html: $"<p><a href=\"{Link}\">Open</a></p>"));
        await vault.Services.GetRequiredService<MailDelivery>().DeliverDueAsync(CancellationToken.None);

        Assert.Equal("a***@example.com", queued.MaskedRecipient);
        var message = await smtp.WaitForMessageToAsync(Recipient);
        Assert.Equal("Your invitation", message.Subject);
        Assert.Equal("privacy@vault.example", message.From.Mailboxes.Single().Address);
        Assert.Equal("Example Privacy Team", message.From.Mailboxes.Single().Name);
        Assert.Equal("es", message.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Contains(Link, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(Link, message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar(vault, "SELECT COUNT(*) FROM mail_outbox;"));
        var entries = MailEntries(vault);
        Assert.Equal([AuditOutcomes.Attempted, AuditOutcomes.Success], entries.Select(e => e.Outcome));
        Assert.All(entries, e => Assert.Equal("kind:invitation,to:a***@example.com", e.Fields));
        Assert.All(entries, e => Assert.Equal((AuditActors.System, MailDelivery.ActorId, subjectId), (e.ActorType, e.ActorId, e.SubjectId)));
    }

    [Fact]
    public async Task Send_StoresTheAddressAndBodyOnlyProtected()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);

        await SendAsync(vault, Message(subjectId));

        var stored = (byte[])Scalar(vault, "SELECT message FROM mail_outbox;")!;
        var files = await ReadDatabaseFilesAsync(vault.DatabasePath);
        Assert.StartsWith("mo1:", Encoding.ASCII.GetString(stored, 0, 4), StringComparison.Ordinal);
        foreach (var secret in new[] { Recipient, Link, "Your invitation" })
        {
            Assert.True(files.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"'{secret}' is stored in plain text.");
        }

        Assert.Equal("a***@example.com", Scalar(vault, "SELECT recipient_mask FROM mail_outbox;"));
    }

    [Fact]
    public async Task DeliverDue_ServerRefusesOnce_RetriesAfterTheDelayAndDeliversOnce()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var vault = await TestVault.StartAsync(settings: smtp.Settings);
        var delivery = vault.Services.GetRequiredService<MailDelivery>();
        smtp.RefuseNext(1);
        await SendAsync(vault, Message(null));

        var next = await delivery.DeliverDueAsync(CancellationToken.None);

        Assert.Empty(smtp.Messages);
        Assert.Equal(vault.Time.GetUtcNow() + TimeSpan.FromMinutes(1), next);
        Assert.Equal(1L, Scalar(vault, "SELECT attempts FROM mail_outbox;"));

        // Not due yet: nothing is attempted.
        await delivery.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(1L, Scalar(vault, "SELECT attempts FROM mail_outbox;"));

        vault.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await delivery.DeliverDueAsync(CancellationToken.None));
        await smtp.WaitForMessageToAsync(Recipient);
        Assert.Single(smtp.Messages);
        Assert.Equal(
            [AuditOutcomes.Attempted, AuditOutcomes.Failed, AuditOutcomes.Attempted, AuditOutcomes.Success],
            MailEntries(vault).Select(e => e.Outcome));
    }

    [Fact]
    public async Task DeliverDue_ServerUnreachableUntilTheLastAttempt_GivesUpAndDeletesTheMessage()
    {
        int port;
        await using (var closed = await SmtpTestServer.StartAsync())
        {
            port = closed.Port;
        }

        await using var vault = await TestVault.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:Smtp:FromAddress"] = "privacy@vault.example",
            ["Mail:MaxAttempts"] = "3",
        });
        var delivery = vault.Services.GetRequiredService<MailDelivery>();
        await SendAsync(vault, Message(null));

        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var before = vault.Time.GetUtcNow();
            if (await delivery.DeliverDueAsync(CancellationToken.None) is { } next)
            {
                waits.Add(next - before);
                vault.Time.Set(next);
            }
        }

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], waits);
        Assert.Equal(0L, Scalar(vault, "SELECT COUNT(*) FROM mail_outbox;"));
        Assert.Equal(3, MailEntries(vault).Count(e => e.Outcome == AuditOutcomes.Failed));
    }

    [Fact]
    public async Task DeliverDue_NoSmtpServer_WritesAnEmlFileToThePickupDirectory()
    {
        await using var vault = await TestVault.StartAsync();

        await SendAsync(vault, Message(null));
        await vault.Services.GetRequiredService<MailDelivery>().DeliverDueAsync(CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(vault.DataDirectory, "mail")));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal(Recipient, message.To.Mailboxes.Single().Address);
        Assert.Contains(Link, message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_SubjectWithQueuedMail_DeletesItAndQueuesNoMoreForIt()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        await SendAsync(vault, Message(subjectId));

        await using (var scope = vault.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
        }

        Assert.Equal(0L, Scalar(vault, "SELECT COUNT(*) FROM mail_outbox;"));
        var refused = await vault.Services.GetRequiredService<IMailChannel>().SendAsync(Message(subjectId), CancellationToken.None);
        Assert.Equal(VaultOutcome.Gone, refused.Outcome);
        Assert.Equal(0L, Scalar(vault, "SELECT COUNT(*) FROM mail_outbox;"));
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("@example.com")]
    public async Task Send_NotAnAddress_IsInvalidAndQueuesNothing(string to)
    {
        await using var vault = await TestVault.StartAsync();

        var result = await vault.Services.GetRequiredService<IMailChannel>().SendAsync(Message(null) with { To = to }, CancellationToken.None);

        Assert.Equal(VaultOutcome.Invalid, result.Outcome);
        Assert.Equal(0L, Scalar(vault, "SELECT COUNT(*) FROM mail_outbox;"));
    }

    [Theory]
    [InlineData("ana@example.com", "a***@example.com")]
    [InlineData("x@mail.example.org", "x***@mail.example.org")]
    [InlineData("no-at-sign", "***")]
    [InlineData("trailing@", "***")]
    public void Mask_ShowsTheFirstCharacterAndTheDomainOnly(string address, string masked) =>
        Assert.Equal(masked, MailAddressMask.Mask(address));

    [Fact]
    public void OutgoingMail_ToString_HidesTheAddressAndBodies()
    {
        var text = Message("s-1").ToString();

        Assert.DoesNotContain(Recipient, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Link, text, StringComparison.Ordinal);
    }

    private static OutgoingMail Message(string? subjectId, string? html = null) =>
        new(Recipient, "Your invitation", $"Open {Link} to set a password.", html, "es", "invitation", subjectId);

    private static async Task<QueuedMail> SendAsync(TestVault vault, OutgoingMail mail)
    {
        var result = await vault.Services.GetRequiredService<IMailChannel>().SendAsync(mail, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, result.Outcome);
        return result.Value!;
    }

    private static async Task<string> CreateSubjectAsync(TestVault vault)
    {
        await using var scope = vault.Scope();
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(
            new Dictionary<string, JsonElement> { ["given_name"] = JsonSerializer.SerializeToElement("Ana") }, CancellationToken.None);
        return created.Value!.Id;
    }

    private static List<AuditRecord> MailEntries(TestVault vault) =>
        vault.Services.GetRequiredService<AuditQueryService>()
            .Search(new AuditQuery(Action: AuditActions.MailSend), 100)
            .OrderBy(e => e.Sequence)
            .Select(e => e.Record)
            .ToList();

    private static object? Scalar(TestVault vault, string sql)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static async Task<byte[]> ReadDatabaseFilesAsync(string databasePath)
    {
        var bytes = new List<byte>();
        foreach (var path in new[] { databasePath, databasePath + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            bytes.AddRange(copy.ToArray());
        }

        return [.. bytes];
    }
}
