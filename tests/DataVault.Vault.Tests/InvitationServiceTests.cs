using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class InvitationServiceTests
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task Create_StoresOnlyTheSha256OfTheToken()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);

        var invitation = await InviteAsync(vault, subjectId);

        Assert.Equal(43, invitation.Token.Length);
        Assert.Equal(vault.Time.GetUtcNow() + TimeSpan.FromDays(7), invitation.ExpiresAt);
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT token_hash FROM invitations;";
        Assert.Equal(SHA256.HashData(Base64Url.DecodeFromChars(invitation.Token)), (byte[])command.ExecuteScalar()!);
        Assert.DoesNotContain(invitation.Token, invitation.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-subject-id")]
    [InlineData("0198c8a4-0000-7000-8000-000000000000")]
    public async Task Create_UnknownSubject_IsSubjectNotFound(string subjectId)
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();

        var result = await scope.ServiceProvider.GetRequiredService<InvitationService>().CreateAsync(subjectId, "test", null, CancellationToken.None);

        Assert.Equal(InvitationOutcome.SubjectNotFound, result.Outcome);
    }

    [Fact]
    public async Task Create_Again_RevokesTheEarlierUnusedInvitation()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        var first = await InviteAsync(vault, subjectId);
        var second = await InviteAsync(vault, subjectId);

        await using var scope = vault.Scope();
        var activation = scope.ServiceProvider.GetRequiredService<IAccountActivation>();
        Assert.Null(await activation.FindAsync(first.Token, CancellationToken.None));
        Assert.Equal(ActivationOutcome.InvalidInvitation, (await activation.ActivateAsync(first.Token, Password, CancellationToken.None)).Outcome);
        Assert.Equal("a***@example.com", (await activation.FindAsync(second.Token, CancellationToken.None))!.SignInAddressMasked);
        Assert.Equal(ActivationOutcome.Activated, (await activation.ActivateAsync(second.Token, Password, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Activate_ValidToken_LinksTheAccountOnceAndUsesTheTokenUp()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        var invitation = await InviteAsync(vault, subjectId);

        await using (var scope = vault.Scope())
        {
            var activation = scope.ServiceProvider.GetRequiredService<IAccountActivation>();
            var result = await activation.ActivateAsync(invitation.Token, Password, CancellationToken.None);
            Assert.Equal(ActivationOutcome.Activated, result.Outcome);
            Assert.Equal(subjectId, result.Account!.SubjectId);
            Assert.Equal("ana@example.com", result.Account.Email);
            Assert.True(result.Account.EmailConfirmed);
            var again = await activation.ActivateAsync(invitation.Token, Password, CancellationToken.None);
            Assert.Equal(ActivationOutcome.InvalidInvitation, again.Outcome);
        }

        await using (var scope = vault.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CustomerAccount>>();
            var account = await users.FindByEmailAsync("ana@example.com");
            Assert.True(await users.CheckPasswordAsync(account!, Password));
            var retry = await scope.ServiceProvider.GetRequiredService<InvitationService>().CreateAsync(subjectId, "test", null, CancellationToken.None);
            Assert.Equal(InvitationOutcome.AccountExists, retry.Outcome);
        }
    }

    [Fact]
    public async Task Activate_ShortPassword_IsRejectedAndTheLinkStillWorks()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        var invitation = await InviteAsync(vault, subjectId);
        await using var scope = vault.Scope();
        var activation = scope.ServiceProvider.GetRequiredService<IAccountActivation>();

        var result = await activation.ActivateAsync(invitation.Token, "short", CancellationToken.None);

        Assert.Equal(ActivationOutcome.Rejected, result.Outcome);
        Assert.Contains(result.Errors, e => e.Contains("12", StringComparison.Ordinal));
        Assert.NotNull(await activation.FindAsync(invitation.Token, CancellationToken.None));
    }

    [Fact]
    public async Task Activate_AfterTheLifetime_IsRefused()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        var invitation = await InviteAsync(vault, subjectId);

        vault.Time.Advance(TimeSpan.FromDays(7));

        await using var scope = vault.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<IAccountActivation>().ActivateAsync(invitation.Token, Password, CancellationToken.None);
        Assert.Equal(ActivationOutcome.InvalidInvitation, result.Outcome);
    }

    [Fact]
    public async Task Create_SubjectWithoutAnEmailOnRecord_IsNoEmailOnRecordAndStoresNothing()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault, email: null);
        await using var scope = vault.Scope();

        var result = await scope.ServiceProvider.GetRequiredService<InvitationService>().CreateAsync(subjectId, "test", null, CancellationToken.None);

        Assert.Equal(InvitationOutcome.NoEmailOnRecord, result.Outcome);
        using var connection = vault.OpenDatabase();
        Assert.Equal(0L, Count(connection, "SELECT COUNT(*) FROM invitations;"));
    }

    [Fact]
    public async Task Create_BindsTheInvitationToTheBlindIndexOfTheAddressOnRecord()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault, "Ana.Garcia@Example.com");

        var invitation = await InviteAsync(vault, subjectId);

        Assert.Equal("Ana.Garcia@Example.com", invitation.Address);
        Assert.Equal("A***@Example.com", invitation.RecipientMask);
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT i.email_digest = b.digest, i.recipient_mask FROM invitations i JOIN blind_index b ON b.subject_id = i.subject_id AND b.field = 'email';";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal("A***@Example.com", reader.GetString(1));
        Assert.DoesNotContain("Ana.Garcia@Example.com", invitation.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activate_AfterTheAddressOnRecordChanged_IsRefused()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        var invitation = await InviteAsync(vault, subjectId);

        await RectifyEmailAsync(vault, subjectId, "someone.else@example.com");

        await using var scope = vault.Scope();
        var activation = scope.ServiceProvider.GetRequiredService<IAccountActivation>();
        Assert.Null(await activation.FindAsync(invitation.Token, CancellationToken.None));
        Assert.Equal(ActivationOutcome.InvalidInvitation, (await activation.ActivateAsync(invitation.Token, Password, CancellationToken.None)).Outcome);
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<CustomerAccount>>().FindByEmailAsync("someone.else@example.com"));
    }

    [Fact]
    public async Task CompareAddress_ComparesThroughTheBlindIndex()
    {
        await using var vault = await TestVault.StartAsync();
        var withAddress = await CreateSubjectAsync(vault);
        var without = await CreateSubjectAsync(vault, email: null);
        await using var scope = vault.Scope();
        var invitations = scope.ServiceProvider.GetRequiredService<InvitationService>();

        Assert.Equal(AddressOnRecord.Same, await invitations.CompareAddressAsync(withAddress, " ANA@example.com ", CancellationToken.None));
        Assert.Equal(AddressOnRecord.Different, await invitations.CompareAddressAsync(withAddress, "bea@example.com", CancellationToken.None));
        Assert.Equal(AddressOnRecord.None, await invitations.CompareAddressAsync(without, "bea@example.com", CancellationToken.None));
        Assert.Equal(AddressOnRecord.InvalidAddress, await invitations.CompareAddressAsync(without, "not an address", CancellationToken.None));
        Assert.Equal(AddressOnRecord.SubjectNotFound, await invitations.CompareAddressAsync("0198c8a4-0000-7000-8000-000000000000", "bea@example.com", CancellationToken.None));
    }

    [Fact]
    public async Task Schema_SecondAccountForTheSameSubject_IsRefusedByTheUniqueIndex()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        using var connection = vault.OpenDatabase();

        void InsertAccount(string id)
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO "AspNetUsers" ("Id", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "SubjectId", "CreatedAt")
                VALUES ($id, 0, 0, 0, 1, 0, $subject, '2026-01-15T09:30:00.0000000Z');
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$subject", subjectId);
            command.ExecuteNonQuery();
        }

        InsertAccount("first");
        var refused = Assert.Throws<SqliteException>(() => InsertAccount("second"));
        Assert.Equal(19, refused.SqliteErrorCode);
    }

    [Fact]
    public async Task Erase_SubjectWithAccount_DeletesTheAccountAndItsInvitations()
    {
        await using var vault = await TestVault.StartAsync();
        var subjectId = await CreateSubjectAsync(vault);
        var invitation = await InviteAsync(vault, subjectId);
        await using (var scope = vault.Scope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<IAccountActivation>().ActivateAsync(invitation.Token, Password, CancellationToken.None);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CustomerAccount>>();
            await users.ResetAuthenticatorKeyAsync(result.Account!);
            await InviteAsync(vault, await CreateSubjectAsync(vault));
        }

        await using (var scope = vault.Scope())
        {
            var erased = await scope.ServiceProvider.GetRequiredService<SubjectService>().EraseAsync(subjectId, "test", Actor.System("test"), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, erased.Outcome);
        }

        using var connection = vault.OpenDatabase();
        Assert.Equal(0L, Count(connection, "SELECT COUNT(*) FROM \"AspNetUsers\";"));
        Assert.Equal(0L, Count(connection, "SELECT COUNT(*) FROM \"AspNetUserTokens\";"));
        Assert.Equal(0L, Count(connection, $"SELECT COUNT(*) FROM invitations WHERE subject_id = '{subjectId}';"));
        Assert.Equal(1L, Count(connection, "SELECT COUNT(*) FROM invitations;"));
    }

    [Fact]
    public async Task AuthenticatorKey_IsStoredProtectedAndReadBack()
    {
        await using var vault = await TestVault.StartAsync();
        var invitation = await InviteAsync(vault, await CreateSubjectAsync(vault));
        await using var scope = vault.Scope();
        var account = (await scope.ServiceProvider.GetRequiredService<IAccountActivation>().ActivateAsync(invitation.Token, Password, CancellationToken.None)).Account!;
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CustomerAccount>>();

        await users.ResetAuthenticatorKeyAsync(account);
        var key = await users.GetAuthenticatorKeyAsync(account);

        Assert.Matches("^[A-Z2-7]{32}$", key);
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Value\" FROM \"AspNetUserTokens\" WHERE \"Name\" = 'AuthenticatorKey';";
        var stored = (string)command.ExecuteScalar()!;
        Assert.StartsWith("dp1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key!, stored, StringComparison.Ordinal);
    }

    private static async Task<string> CreateSubjectAsync(TestVault vault, string? email = "ana@example.com")
    {
        await using var scope = vault.Scope();
        var fields = new Dictionary<string, JsonElement>();
        if (email is not null)
        {
            fields["email"] = JsonSerializer.SerializeToElement(email);
        }

        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>().CreateAsync(fields, CancellationToken.None);
        return created.Value!.Id;
    }

    private static async Task RectifyEmailAsync(TestVault vault, string subjectId, string email)
    {
        await using var scope = vault.Scope();
        var rectified = await scope.ServiceProvider.GetRequiredService<SubjectService>().RectifyAsync(
            subjectId, new Dictionary<string, JsonElement> { ["email"] = JsonSerializer.SerializeToElement(email) }, Actor.System("test"), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, rectified.Outcome);
    }

    private static async Task<CreatedInvitation> InviteAsync(TestVault vault, string subjectId)
    {
        await using var scope = vault.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<InvitationService>().CreateAsync(subjectId, "test", null, CancellationToken.None);
        Assert.Equal(InvitationOutcome.Created, result.Outcome);
        return result.Invitation!;
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
