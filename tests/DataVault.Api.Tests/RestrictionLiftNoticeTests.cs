using System.Net;
using System.Net.Http.Json;
using DataVault.Vault.Mail;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;
using static DataVault.Api.Tests.SubjectEndpointsTests;
using static DataVault.Testing.VaultApi;

namespace DataVault.Api.Tests;

/// <summary>GDPR Art. 18(3): the subject is told by e-mail before a restriction of processing is lifted.</summary>
public sealed class RestrictionLiftNoticeTests
{
    [Fact]
    public async Task LiftRestriction_ByAClient_TellsTheSubjectByEmailBeforeTheLiftIsWritten()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var restrictedWhenQueued = new List<long>();
        DataVaultApplication? host = null;
        await using var app = new DataVaultApplication(
            settings: smtp.Settings,
            configureServices: services => services.AddSingleton<IMailChannel>(provider => new WatchedChannel(
                provider.GetRequiredService<MailOutbox>(),
                () => restrictedWhenQueued.Add((long)Scalar(host!, "SELECT COUNT(*) FROM subjects WHERE status = 'restricted';")!))));
        host = app;
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "ana.lift@example.com", given_name = "Ana" });
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/restriction", new { reason = "accuracy contested" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/subjects/{id}/restriction?reason=accuracy%20verified")).StatusCode);

        Assert.Equal([1L], restrictedWhenQueued);
        var notice = await smtp.WaitForMessageToAsync("ana.lift@example.com");
        Assert.Equal("The restriction of processing of your data is being lifted", notice.Subject);
        Assert.DoesNotContain("Ana", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy verified", notice.TextBody, StringComparison.Ordinal);
        Assert.NotEmpty(Released(await ReadAsync(client, id, "service-delivery")));
    }

    [Fact]
    public async Task LiftRestriction_NothingInForceOrRefused_SendsNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, new { email = "ana.lift@example.com" });

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/subjects/{id}/restriction?reason=nothing%20to%20lift")).StatusCode);

        Assert.Equal(0L, Scalar(app, "SELECT COUNT(*) FROM mail_outbox;"));
        Assert.DoesNotContain(app.AuditEntries(), e => e.Action == "mail.send");
    }

    /// <summary>The real channel, noting the state of the vault at the moment each message is queued.</summary>
    private sealed class WatchedChannel(IMailChannel inner, Action queued) : IMailChannel
    {
        public Task<VaultResult<QueuedMail>> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            queued();
            return inner.SendAsync(mail, cancellationToken);
        }
    }
}
