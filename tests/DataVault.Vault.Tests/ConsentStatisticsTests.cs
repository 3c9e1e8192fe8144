using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class ConsentStatisticsTests
{
    [Fact]
    public async Task GetOverview_CountsEachSubjectsLatestState_AndTheGivenAndWithdrawnTrend()
    {
        await using var vault = await TestVault.StartAsync();
        var start = vault.Time.GetUtcNow();
        await using (var scope = vault.Scope())
        {
            var consents = scope.ServiceProvider.GetRequiredService<ConsentService>();
            var a = await NewSubjectAsync(scope);
            var b = await NewSubjectAsync(scope);
            var c = await NewSubjectAsync(scope);
            var d = await NewSubjectAsync(scope);
            var e = await NewSubjectAsync(scope);
            await NewSubjectAsync(scope);
            await RecordAsync(consents, a, "given");
            await RecordAsync(consents, b, "given");
            await RecordAsync(consents, c, "refused");
            await RecordAsync(consents, d, "given", expiresAt: start.AddDays(2));
            await RecordAsync(consents, e, "given");
            await RecordAsync(consents, a, "given", purpose: "analytics");

            vault.Time.Advance(TimeSpan.FromDays(3));
            await RecordAsync(consents, b, "withdrawn");
            var erased = await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(e, "test", Actor.System("test"), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, erased.Outcome);
        }

        await using (var scope = vault.Scope())
        {
            var overview = await scope.ServiceProvider.GetRequiredService<ConsentStatistics>().GetOverviewAsync(4, CancellationToken.None);

            Assert.Equal(5, overview.Subjects);
            Assert.DoesNotContain(overview.Purposes, p => p.PurposeId == "service-delivery");
            var marketing = overview.Purposes.Single(p => p.PurposeId == "marketing-email");
            Assert.Equal(new PurposeConsentCounts("marketing-email", Given: 1, Withdrawn: 1, Refused: 1, Expired: 1, OutdatedVersion: 0, NeverAsked: 1), marketing);
            Assert.Equal(new PurposeConsentCounts("analytics", 1, 0, 0, 0, 0, 4), overview.Purposes.Single(p => p.PurposeId == "analytics"));

            // Before the first event none; then a, b and d; d's consent expires on day 2; b withdraws on day 3.
            Assert.Equal(5, overview.Trend.Count);
            Assert.Equal(overview.At, overview.Trend[^1].At);
            Assert.Equal([0, 3, 3, 2, 1], overview.Trend.Select(t => t.Given["marketing-email"]));
            Assert.Equal([0, 0, 0, 0, 1], overview.Trend.Select(t => t.Withdrawn["marketing-email"]));
        }
    }

    [Fact]
    public async Task GetOverview_CountsTheObjectionsInForceThatGlobalPrivacyControlMade()
    {
        await using var vault = await TestVault.StartAsync();
        await using (var scope = vault.Scope())
        {
            var consents = scope.ServiceProvider.GetRequiredService<ConsentService>();
            var signalled = await NewSubjectAsync(scope);
            var signalledThenLifted = await NewSubjectAsync(scope);
            var erased = await NewSubjectAsync(scope);
            await NewSubjectAsync(scope);
            foreach (var subject in new[] { signalled, signalledThenLifted, erased })
            {
                Assert.Equal(["partner-sharing"], await consents.ApplyGlobalPrivacyControlAsync(subject, Actor.Client("shop"), CancellationToken.None));
            }

            vault.Time.Advance(TimeSpan.FromMinutes(1));
            var lifted = await consents.LiftObjectionAsync(signalledThenLifted, "partner-sharing", ChoiceSources.Desk, "asked by letter", Actor.Officer("officer-1"), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, lifted.Outcome);
            Assert.Equal(VaultOutcome.Ok, (await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(erased, "test", Actor.System("test"), CancellationToken.None)).Outcome);
        }

        await using (var scope = vault.Scope())
        {
            var overview = await scope.ServiceProvider.GetRequiredService<ConsentStatistics>().GetOverviewAsync(0, CancellationToken.None);

            Assert.Equal(1, overview.GpcObjectors);
            Assert.Equal(new Dictionary<string, int> { ["partner-sharing"] = 1 }, overview.GpcObjections);
        }
    }

    private static async Task<string> NewSubjectAsync(AsyncServiceScope scope)
    {
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>()
            .CreateAsync(RetentionServiceTests.Fields(("given_name", "Someone")), CancellationToken.None);
        return created.Value!.Id;
    }

    private static async Task RecordAsync(ConsentService consents, string subjectId, string state, DateTimeOffset? expiresAt = null, string purpose = "marketing-email")
    {
        var recorded = await consents.RecordAsync(
            subjectId, new RecordConsentCommand(purpose, state, null, expiresAt, CollectionMethods.Api, "en", null, Actor.Client("test")), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
    }
}
