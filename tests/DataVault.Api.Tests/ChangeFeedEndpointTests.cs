using System.Collections.Concurrent;
using System.Net;
using DataVault.Testing;
using DataVault.Vault.Clients;
using static DataVault.Api.Tests.SubjectEndpointsTests;
using static DataVault.Testing.VaultApi;

namespace DataVault.Api.Tests;

/// <summary>The change feed over HTTP: who hears of a change, the cursor, the long poll and bad input.</summary>
public sealed class ChangeFeedEndpointTests
{
    private static readonly object Profile = new { email = "quetzalli@example.com", given_name = "Quetzalli", preferred_language = "es" };

    [Fact]
    public async Task ReadChanges_WithdrawalOfAConsentTheClientRead_ArrivesByLongPollWithAResumableCursor()
    {
        await using var app = new DataVaultApplication();
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        using var crm = await app.CreateClientAsync("crm", [Scopes.SubjectsRead, Scopes.ChangesRead], ["marketing-email"]);
        using var stranger = await app.CreateClientAsync("stranger", [Scopes.SubjectsRead, Scopes.ChangesRead], ["analytics"]);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "given");
        Assert.Contains("email", Released(await ReadAsync(crm, id, "marketing-email")));

        // The crm heard of the consent as a registered client of the purpose; it reads on from there.
        var first = await ChangesAsync(crm, "?wait=10");
        Assert.Equal(["consent.given"], first.Events.Select(e => e.Type));
        var waiting = ChangesAsync(crm, $"?after={first.Next}&wait=20");
        await RecordAsync(shop, id, "marketing-email", "withdrawn");
        var withdrawn = Assert.Single((await waiting).Events);

        Assert.Equal(("consent.withdrawn", id, "marketing-email"), (withdrawn.Type, withdrawn.SubjectId, string.Join(',', withdrawn.Purposes)));
        Assert.Equal(["email", "given_name", "interests", "preferred_language"], withdrawn.Fields);
        Assert.StartsWith("evt_", withdrawn.Id, StringComparison.Ordinal);
        Assert.Null(withdrawn.RequestId);
        Assert.True(withdrawn.Sequence > first.Events[0].Sequence);

        // Read on from the last cursor: nothing new, and the same cursor back.
        var (_, last) = await ChangesAsync(crm, $"?after={(await waiting).Next}");
        Assert.Equal((await waiting).Next, last);
        var (_, again) = await ChangesAsync(crm, $"?after={first.Next}");
        Assert.Equal(last, again);

        // No reason to know the subject, so no event: the stranger never received a field of it.
        Assert.Empty((await ChangesAsync(stranger, string.Empty)).Events);

        // The shop provided the data, so it hears of both; values never appear.
        var shopFeed = await ChangesAsync(shop, string.Empty);
        Assert.Equal(["consent.given", "consent.withdrawn"], shopFeed.Events.Select(e => e.Type));
        Assert.Contains(app.AuditEntries(), e => e.Action == "changes.read" && e.ActorId == "crm" && e.Fields == "events:1" && e.Outcome == "success");
    }

    [Fact]
    public async Task ReadChanges_ConcurrentWrites_EveryEventOnceInFeedOrder()
    {
        await using var app = new DataVaultApplication();
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        var subjects = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            subjects.Add(await CreateAsync(shop, Profile));
        }

        var seen = new ConcurrentQueue<ChangeEvent>();
        var reader = Task.Run(async () =>
        {
            string? cursor = null;
            while (seen.Count < subjects.Count * 4)
            {
                var page = await ChangesAsync(shop, $"?limit=3&wait=2{(cursor is null ? string.Empty : "&after=" + cursor)}");
                foreach (var change in page.Events)
                {
                    seen.Enqueue(change);
                }

                cursor = page.Next;
            }
        });

        // Two consent changes for each of two purposes per subject, all at once while the feed is being read.
        await Task.WhenAll(subjects.SelectMany(id => new[] { "marketing-email", "analytics" }.Select(async purpose =>
        {
            await RecordAsync(shop, id, purpose, "given");
            await RecordAsync(shop, id, purpose, "withdrawn");
        })));
        await reader.WaitAsync(TimeSpan.FromSeconds(60));

        var events = seen.ToList();
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(subjects.Count * 4, events.Count);

        // Per subject and purpose, the events arrive in the order they happened.
        foreach (var group in events.GroupBy(e => (e.SubjectId, e.Purposes[0])))
        {
            Assert.Equal(["consent.given", "consent.withdrawn"], group.Select(e => e.Type));
        }
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?wait=-1", "wait")]
    [InlineData("?wait=31", "wait")]
    [InlineData("?after=not-a-cursor", "after")]
    [InlineData("?after=YzEuMS4x!", "after")]
    [InlineData("?after=YzIuMS4x", "after")]
    public async Task ReadChanges_BadInput_ProblemDetails400(string query, string key)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        var problem = await AssertProblemAsync(await client.GetAsync("/api/v1/changes" + query), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _));
    }

    [Fact]
    public async Task ReadChanges_CursorFromBeforeARestore_Gone410()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var cursor = (await ChangesAsync(client, string.Empty)).Next;
        using (var connection = app.OpenDatabase())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE change_feed_head SET epoch = epoch + 1;";
            command.ExecuteNonQuery();
        }

        var problem = await AssertProblemAsync(await client.GetAsync($"/api/v1/changes?after={cursor}"), HttpStatusCode.Gone);

        Assert.Equal("Cursor from before a restore", problem.GetProperty("title").GetString());
        Assert.NotEqual(cursor, (await ChangesAsync(client, string.Empty)).Next);
    }

    private static async Task<ChangePage> ChangesAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/changes" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadWireAsync<ChangePage>();
    }

    private sealed record ChangeEvent(string Id, long Sequence, string Type, DateTimeOffset OccurredAt, string? SubjectId, string[] Purposes, string[] Fields, string? RequestId);

    private sealed record ChangePage(List<ChangeEvent> Events, string Next);
}
