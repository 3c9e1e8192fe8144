using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Clients;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;
using static DataVault.Api.Tests.SubjectEndpointsTests;

namespace DataVault.Api.Tests;

/// <summary>Checkpoints count only when signed by the vault's own keys, never by a key stored beside them.</summary>
public sealed class AuditCheckpointTrustTests
{
    [Fact]
    public async Task Verification_CheckpointSignedWithAnAttackersKey_IsRejected()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:CheckpointEveryEntries"] = "5" });
        using var client = await app.CreateClientAsync("crm-eu");
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(client, new { given_name = $"Person {i}" });
        }

        // Someone with write access to the file re-signs a checkpoint with their own key and stores that key beside it.
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = attacker.ExportParameters(false).Q;
        var jwk = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = "attacker",
            ["x"] = Base64UrlEncoder.Encode(q.X!),
            ["y"] = Base64UrlEncoder.Encode(q.Y!),
        });
        using (var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            connection.Open();
            long sequence;
            byte[] hash;
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT sequence, hash FROM audit_checkpoints ORDER BY sequence LIMIT 1;";
                using var reader = read.ExecuteReader();
                Assert.True(reader.Read());
                sequence = reader.GetInt64(0);
                hash = (byte[])reader[1];
            }

            var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "ES256", ["kid"] = "attacker", ["typ"] = "audit-checkpoint+jwt" }));
            var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, object> { ["seq"] = sequence, ["hash"] = Convert.ToHexStringLower(hash), ["iat"] = 0 }));
            var signature = Base64UrlEncoder.Encode(attacker.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256));
            using var forge = connection.CreateCommand();
            forge.CommandText = "UPDATE audit_checkpoints SET key_id = 'attacker', public_jwk = $jwk, signature = $sig WHERE sequence = $seq;";
            forge.Parameters.AddWithValue("$jwk", jwk);
            forge.Parameters.AddWithValue("$sig", $"{header}.{payload}.{signature}");
            forge.Parameters.AddWithValue("$seq", sequence);
            Assert.Equal(1, forge.ExecuteNonQuery());
        }

        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);
        var result = await (await officer.PostAsJsonAsync("/api/v1/audit/verification", new { })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(result.GetProperty("valid").GetBoolean(), result.GetRawText());
        Assert.Contains("trusted key", result.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_MalformedExportedCheckpoint_Returns400()
    {
        await using var app = new DataVaultApplication();
        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);

        var response = await officer.PostAsJsonAsync("/api/v1/audit/verification", new
        {
            checkpoints = new[] { new { sequence = 1, hash = "not-hex", createdAt = DateTimeOffset.UtcNow, keyId = "k", publicJwk = "{}", signature = "a.b.c" } },
        });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
