using System.Text.RegularExpressions;
using DataVault.Policies;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;

namespace DataVault.Vault.Clients;

/// <summary>A registered client as other code sees it: never its secret, hash or keys.</summary>
public sealed record ClientInfo(
    string Id,
    string DisplayName,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> AllowedPurposes,
    DateTimeOffset CreatedAt,
    DateTimeOffset SecretRotatedAt,
    DateTimeOffset? DisabledAt)
{
    public bool IsEnabled => DisabledAt is null;

    /// <summary>A client from its stored columns: scopes and purposes are space-separated.</summary>
    public static ClientInfo FromStored(
        string id, string displayName, string scopes, string allowedPurposes, DateTimeOffset createdAt, DateTimeOffset secretRotatedAt, DateTimeOffset? disabledAt) => new(
        id,
        displayName,
        scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        allowedPurposes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        createdAt,
        secretRotatedAt,
        disabledAt);
}

/// <summary>A client with how it authenticates (<see cref="ClientAuthentication"/>) and where its codes may go, as the administration verbs show it.</summary>
public sealed record ClientDetails(ClientInfo Client, string Authentication, IReadOnlyList<string> RedirectUris);

/// <summary>A client and the secret issued to it (none for a key or public client); the secret is shown once and never stored.</summary>
public sealed record IssuedClientSecret(ClientDetails Details, string? Secret)
{
    public ClientInfo Client => Details.Client;

    public override string ToString() => $"IssuedClientSecret {{ Client = {Client.Id}, Secret = *** }}";
}

/// <summary>What a new client is registered with.</summary>
/// <param name="ClientId">Stable id: 3-64 lower-case letters, digits, '.', '_' or '-'.</param>
/// <param name="DisplayName">The name customers see in their access log.</param>
/// <param name="Scopes">The scopes it may ask for.</param>
/// <param name="Purposes">The purposes it may read for.</param>
public sealed record ClientRegistration(string ClientId, string DisplayName, IEnumerable<string> Scopes, IEnumerable<string> Purposes)
{
    /// <summary>A public JWK or JWK set: the client authenticates with signed assertions (private_key_jwt) and gets no secret.</summary>
    public string? JsonWebKey { get; init; }

    /// <summary>Where authorization codes may be sent: the client's screens used by staff (authorization code flow).</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>A public client (no credential): the code flow with PKCE only, never client credentials.</summary>
    public bool IsPublic { get; init; }
}

/// <summary>
/// Registers integrating systems (RFC 6749 §2). Clients are OpenIddict's applications (<see cref="VaultClient"/>),
/// but are written here through EF Core only, so the administration verbs need no token service; the
/// token service authenticates them (<see cref="VaultApplicationManager"/>).
/// </summary>
public sealed partial class ClientService
{
    private readonly OAuthDbContext db;
    private readonly PolicyCatalogue catalogue;
    private readonly TimeProvider time;
    private readonly ILogger<ClientService> logger;

    internal ClientService(OAuthDbContext db, PolicyCatalogue catalogue, TimeProvider time, ILogger<ClientService> logger)
    {
        this.db = db;
        this.catalogue = catalogue;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Registers a confidential client that authenticates with a secret.</summary>
    public Task<VaultResult<IssuedClientSecret>> AddAsync(
        string clientId, string displayName, IEnumerable<string> scopes, IEnumerable<string> purposes, CancellationToken cancellationToken) =>
        AddAsync(new ClientRegistration(clientId, displayName, scopes, purposes), cancellationToken);

    public async Task<VaultResult<IssuedClientSecret>> AddAsync(ClientRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var (clientId, displayName) = (registration.ClientId, registration.DisplayName);
        var scopeList = Normalize(registration.Scopes);
        var purposeList = Normalize(registration.Purposes);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ClientIdPattern().IsMatch(clientId))
        {
            errors["clientId"] = ["Must be 3-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."];
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 200 || displayName.Any(char.IsControl))
        {
            errors["displayName"] = ["Must be 1-200 characters without control characters."];
        }

        var unknownScopes = scopeList.Where(s => !Scopes.All.Contains(s)).ToList();
        if (unknownScopes.Count > 0)
        {
            errors["scopes"] = [$"Unknown scopes: {string.Join(", ", unknownScopes)}. Known: {string.Join(", ", Scopes.All.Order(StringComparer.Ordinal))}."];
        }

        var unknownPurposes = purposeList.Where(p => !catalogue.Purposes.ContainsKey(p)).ToList();
        if (unknownPurposes.Count > 0)
        {
            errors["purposes"] = [$"Unknown purposes: {string.Join(", ", unknownPurposes)}."];
        }

        string? keySet = null;
        if (registration.JsonWebKey is { } jwk)
        {
            keySet = ClientCredentials.NormalizeKeySet(jwk, out var keyProblem);
            if (keyProblem is not null)
            {
                errors["jwk"] = [keyProblem];
            }
        }

        var redirectUris = ClientCredentials.NormalizeRedirectUris(registration.RedirectUris, out var redirectProblem);
        if (redirectProblem is not null)
        {
            errors["redirectUri"] = [redirectProblem];
        }

        if (registration.IsPublic && (registration.JsonWebKey is not null || registration.RedirectUris.Count == 0))
        {
            errors["public"] = ["A public client has no key, and needs at least one redirect URI: it can only use the authorization code flow."];
        }

        if (errors.Count == 0 && await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
        {
            errors["clientId"] = ["A client with this id exists already."];
        }

        if (errors.Count > 0)
        {
            return VaultResult<IssuedClientSecret>.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var secret = registration.IsPublic || keySet is not null ? null : ClientSecretHasher.NewSecret();
        var client = new VaultClient
        {
            Id = clientId,
            DisplayName = displayName.Trim(),
            ClientType = registration.IsPublic ? OpenIddictConstants.ClientTypes.Public : OpenIddictConstants.ClientTypes.Confidential,
            ConsentType = OpenIddictConstants.ConsentTypes.Explicit,
            ClientSecret = secret is null ? null : ClientSecretHasher.Hash(secret),
            JsonWebKeySet = keySet,
            RedirectUris = redirectUris,
            Scopes = string.Join(' ', scopeList),
            AllowedPurposes = string.Join(' ', purposeList),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        db.Clients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientAdded(logger, clientId);
        return VaultResult<IssuedClientSecret>.Ok(new IssuedClientSecret(ToDetails(client), secret));
    }

    public async Task<IReadOnlyList<ClientInfo>> ListAsync(CancellationToken cancellationToken) =>
        (await ListDetailsAsync(cancellationToken)).Select(d => d.Client).ToList();

    public async Task<IReadOnlyList<ClientDetails>> ListDetailsAsync(CancellationToken cancellationToken) =>
        (await db.Clients.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken)).Select(ToDetails).ToList();

    public async Task<ClientInfo?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        return client is null ? null : ToDetails(client).Client;
    }

    /// <summary>
    /// Issues a new secret, or with <paramref name="jsonWebKey"/> registers a new public key instead; the
    /// old credential stops working at once, and every token issued before is revoked with it (a trigger
    /// of the clients table, so the same holds when the change comes from another process).
    /// </summary>
    public async Task<VaultResult<IssuedClientSecret>> RotateSecretAsync(string clientId, CancellationToken cancellationToken, string? jsonWebKey = null)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return VaultResult<IssuedClientSecret>.NotFound();
        }

        if (client.ClientType == OpenIddictConstants.ClientTypes.Public)
        {
            return VaultResult<IssuedClientSecret>.Invalid(new Dictionary<string, string[]> { ["clientId"] = ["A public client has no credential to rotate."] });
        }

        string? secret = null;
        if (jsonWebKey is not null)
        {
            client.JsonWebKeySet = ClientCredentials.NormalizeKeySet(jsonWebKey, out var problem);
            if (problem is not null)
            {
                return VaultResult<IssuedClientSecret>.Invalid(new Dictionary<string, string[]> { ["jwk"] = [problem] });
            }

            client.ClientSecret = null;
        }
        else
        {
            secret = ClientSecretHasher.NewSecret();
            client.ClientSecret = ClientSecretHasher.Hash(secret);
            client.JsonWebKeySet = null;
        }

        client.SecretRotatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientSecretRotated(logger, clientId);
        return VaultResult<IssuedClientSecret>.Ok(new IssuedClientSecret(ToDetails(client), secret));
    }

    /// <summary>Disables a client: no new tokens, and its current tokens are revoked and refused from the next request.</summary>
    public async Task<VaultResult<ClientInfo>> DisableAsync(string clientId, CancellationToken cancellationToken)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return VaultResult<ClientInfo>.NotFound();
        }

        client.DisabledAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientDisabled(logger, clientId);
        return VaultResult<ClientInfo>.Ok(ToDetails(client).Client);
    }

    private static List<string> Normalize(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static ClientDetails ToDetails(VaultClient client) => new(
        ClientInfo.FromStored(client.Id!, client.DisplayName!, client.Scopes, client.AllowedPurposes, client.CreatedAt, client.SecretRotatedAt, client.DisabledAt),
        client.ClientType == OpenIddictConstants.ClientTypes.Public ? ClientAuthentication.None
            : client.JsonWebKeySet is not null ? ClientAuthentication.PrivateKeyJwt
            : ClientAuthentication.Secret,
        ClientCredentials.ReadRedirectUris(client.RedirectUris));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdPattern();
}
