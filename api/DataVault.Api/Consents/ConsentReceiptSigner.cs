using System.Text.Json;
using DataVault.Policies;
using DataVault.Vault;
using DataVault.Vault.Consents;
using DataVault.Vault.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Consents;

/// <summary>
/// Signs consent receipts: a JWS (ES256, key published in the JWKS) whose payload carries the
/// Kantara Consent Receipt v1.1 / ISO/IEC TS 27560 fields, so a customer can prove what they agreed
/// to, when, for which purpose version, and how it was collected, without trusting our database.
/// </summary>
internal sealed class ConsentReceiptSigner(SigningKeyStore keys, PolicyCatalogue catalogue, PublicOrigin origin, TimeProvider time) : IConsentReceiptSigner
{
    public const string ReceiptType = "consent-receipt+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<string> SignAsync(ConsentEventView consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var purpose = catalogue.Purposes[consent.PurposeId];
        var text = purpose.Text.GetValueOrDefault(consent.NoticeLanguage) ?? purpose.Text["en"];
        var payload = new Dictionary<string, object?>
        {
            ["iss"] = origin.Url,
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["jti"] = consent.Id,
            ["version"] = "KI-CR-v1.1.0",
            ["consentReceiptID"] = consent.Id,
            ["consentTimestamp"] = consent.OccurredAt.ToUnixTimeSeconds(),
            ["collectionMethod"] = consent.CollectionMethod,

            // Not vouched for by the vault: the consent's date and proof are those of the system it was imported from.
            ["imported"] = consent.Imported,
            ["jurisdiction"] = "EU",
            ["language"] = consent.NoticeLanguage,
            ["piiPrincipalId"] = consent.SubjectId,
            ["state"] = ConsentStates.ToText(consent.State),
            ["expiresAt"] = consent.ExpiresAt?.ToUnixTimeSeconds(),
            ["evidence"] = consent.Evidence,
            ["recordedBy"] = new Dictionary<string, string> { ["type"] = consent.Actor.Type, ["id"] = consent.Actor.Id },
            ["services"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["service"] = purpose.Id,
                    ["purposes"] = new[]
                    {
                        new Dictionary<string, object>
                        {
                            ["purpose"] = text.Title,
                            ["purposeDescription"] = text.Description,
                            ["purposeVersion"] = consent.PurposeVersion,
                            ["lawfulBasis"] = LawfulBasisText(purpose.LawfulBasis),
                            ["consentType"] = "EXPLICIT",
                            ["piiCategory"] = purpose.Fields.Select(f => catalogue.Fields[f].DataCategory).Distinct(StringComparer.Ordinal).ToArray(),
                            ["termination"] = purpose.Retention.ToString(),
                            ["thirdPartyDisclosure"] = purpose.GpcObjection,
                        },
                    },
                },
            },
        };

        var key = await keys.GetActiveKeyAsync(cancellationToken);
        using var signer = key.CreateSigner();
        var credentials = new SigningCredentials(new ECDsaSecurityKey(signer) { KeyId = key.KeyId }, SecurityAlgorithms.EcdsaSha256)
        {
            CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
        };
        return Handler.CreateToken(
            JsonSerializer.Serialize(payload),
            credentials,
            new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = ReceiptType });
    }

    internal static string LawfulBasisText(LawfulBasis basis) => basis switch
    {
        LawfulBasis.Consent => "consent",
        LawfulBasis.Contract => "contract",
        LawfulBasis.LegalObligation => "legal-obligation",
        LawfulBasis.VitalInterests => "vital-interests",
        LawfulBasis.PublicTask => "public-task",
        LawfulBasis.LegitimateInterests => "legitimate-interests",
        _ => throw new ArgumentOutOfRangeException(nameof(basis)),
    };
}
