using System.Text.RegularExpressions;
using DataVault.Policies;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Clients;

/// <summary>A registered client as other code sees it: never its secret or hash.</summary>
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

/// <summary>A client and the secret issued to it; the secret is shown once and never stored.</summary>
public sealed record IssuedClientSecret(ClientInfo Client, string Secret)
{
    public override string ToString() => $"IssuedClientSecret {{ Client = {Client.Id}, Secret = *** }}";
}

/// <summary>Registers integrating systems and checks their credentials (RFC 6749 §2.3.1).</summary>
public sealed partial class ClientService
{
    private readonly VaultDbContext db;
    private readonly PolicyCatalogue catalogue;
    private readonly TimeProvider time;
    private readonly ILogger<ClientService> logger;

    internal ClientService(VaultDbContext db, PolicyCatalogue catalogue, TimeProvider time, ILogger<ClientService> logger)
    {
        this.db = db;
        this.catalogue = catalogue;
        this.time = time;
        this.logger = logger;
    }

    // Computed once: checking a secret for an unknown client costs the same as for a known one,
    // so response times do not reveal which client ids exist.
    private static readonly string UnknownClientHash = ClientSecretHasher.Hash(ClientSecretHasher.NewSecret());

    public async Task<VaultResult<IssuedClientSecret>> AddAsync(
        string clientId, string displayName, IEnumerable<string> scopes, IEnumerable<string> purposes, CancellationToken cancellationToken)
    {
        var scopeList = Normalize(scopes);
        var purposeList = Normalize(purposes);
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

        if (errors.Count == 0 && await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
        {
            errors["clientId"] = ["A client with this id exists already."];
        }

        if (errors.Count > 0)
        {
            return VaultResult<IssuedClientSecret>.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var secret = ClientSecretHasher.NewSecret();
        var record = new ClientRecord
        {
            Id = clientId,
            DisplayName = displayName.Trim(),
            SecretHash = ClientSecretHasher.Hash(secret),
            Scopes = string.Join(' ', scopeList),
            AllowedPurposes = string.Join(' ', purposeList),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        db.Clients.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientAdded(logger, clientId);
        return VaultResult<IssuedClientSecret>.Ok(new IssuedClientSecret(ToInfo(record), secret));
    }

    public async Task<IReadOnlyList<ClientInfo>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Clients.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken)).Select(ToInfo).ToList();

    public async Task<ClientInfo?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var record = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        return record is null ? null : ToInfo(record);
    }

    /// <summary>Issues a new secret; the old one stops working at once.</summary>
    public async Task<VaultResult<IssuedClientSecret>> RotateSecretAsync(string clientId, CancellationToken cancellationToken)
    {
        var record = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (record is null)
        {
            return VaultResult<IssuedClientSecret>.NotFound();
        }

        var secret = ClientSecretHasher.NewSecret();
        record.SecretHash = ClientSecretHasher.Hash(secret);
        record.SecretRotatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientSecretRotated(logger, clientId);
        return VaultResult<IssuedClientSecret>.Ok(new IssuedClientSecret(ToInfo(record), secret));
    }

    /// <summary>Disables a client: no new tokens, and its current tokens are refused from the next request.</summary>
    public async Task<VaultResult<ClientInfo>> DisableAsync(string clientId, CancellationToken cancellationToken)
    {
        var record = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (record is null)
        {
            return VaultResult<ClientInfo>.NotFound();
        }

        record.DisabledAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientDisabled(logger, clientId);
        return VaultResult<ClientInfo>.Ok(ToInfo(record));
    }

    /// <summary>The enabled client whose secret matches, or null; constant-time whatever the cause of failure.</summary>
    public async Task<ClientInfo?> AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        var record = clientId.Length <= 64
            ? await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken)
            : null;
        var matches = ClientSecretHasher.Verify(secret, record?.SecretHash ?? UnknownClientHash);
        return record is not null && matches && record.DisabledAt is null ? ToInfo(record) : null;
    }

    private static List<string> Normalize(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static ClientInfo ToInfo(ClientRecord record) =>
        ClientInfo.FromStored(record.Id, record.DisplayName, record.Scopes, record.AllowedPurposes, record.CreatedAt, record.SecretRotatedAt, record.DisabledAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdPattern();
}
