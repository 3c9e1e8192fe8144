using System.Text.Json;
using DataVault.Vault;
using DataVault.Vault.Requests;
using DataVault.Vault.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Requests;

/// <summary>
/// Signs completion certificates of data-subject requests: a JWS (ES256, by the vault's signing key published in the
/// JWKS, like consent receipts) that records what was requested and when, within which deadline, what was done and
/// by whom, how it ended, and which recipients were told of the changes made for it (GDPR Art. 5(2), 12(3), 19). It
/// holds ids, codes and dates only, never a field value or an officer's note, and verifies offline against the JWKS.
/// </summary>
internal sealed class RequestCertificateSigner(SigningKeyStore keys, PublicOrigin origin, TimeProvider time)
{
    public const string CertificateType = "request-certificate+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<string> SignAsync(RequestCertificateContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var r = content.Request;
        var payload = new Dictionary<string, object?>
        {
            ["iss"] = origin.Url,
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["jti"] = r.Id,
            ["requestId"] = r.Id,
            ["type"] = r.Type,
            ["subjectId"] = r.SubjectId,
            ["channel"] = r.Channel,
            ["receivedAt"] = r.ReceivedAt,
            ["deadline"] = new Dictionary<string, object?>
            {
                ["firstDueDate"] = r.FirstDueDate,
                ["dueDate"] = r.DueDate,
                ["extensionMonths"] = r.ExtensionMonths,
                ["pausedDays"] = r.PausedDays,
            },
            ["identity"] = r.IdentityMethod,
            ["status"] = r.Status,
            ["refusalReason"] = r.RefusalReason,
            ["closedAt"] = r.ClosedAt,
            ["closedBy"] = r.ClosedBy,
            ["onTime"] = r.OnTime,
            ["steps"] = content.Steps.Select(e => new Dictionary<string, object?>
            {
                ["at"] = e.OccurredAt,
                ["by"] = new Dictionary<string, string> { ["type"] = e.ActorType, ["id"] = e.ActorId },
                ["kind"] = e.Kind,
                ["from"] = e.FromStatus,
                ["to"] = e.ToStatus,
                ["detail"] = e.Detail,
            }).ToList(),
            ["recipientsTold"] = content.RecipientsTold.Select(t => new Dictionary<string, object>
            {
                ["clientId"] = t.ClientId,
                ["change"] = t.ChangeType,
                ["at"] = t.RoutedAt,
            }).ToList(),
        };

        var key = await keys.GetActiveKeyAsync(cancellationToken);
        using var signer = key.CreateSigner();
        var credentials = new SigningCredentials(new ECDsaSecurityKey(signer) { KeyId = key.KeyId }, SecurityAlgorithms.EcdsaSha256)
        {
            CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
        };
        return Handler.CreateToken(
            JsonSerializer.Serialize(payload, JsonSerializerOptions.Web),
            credentials,
            new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = CertificateType });
    }
}
