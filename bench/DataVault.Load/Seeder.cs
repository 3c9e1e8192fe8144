using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataVault.Policies;
using DataVault.Vault;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Load;

/// <summary>One kind of seeded subject: how many, and how many versions each field has (1 = never rectified).</summary>
internal sealed record SeedSet(string Name, int Count, int VersionsPerField);

/// <summary>
/// Seeds a fresh vault the way an import would: every subject has 10 fields of the catalogue, each
/// value validated and canonicalized by the catalogue's rules and encrypted with AES-256-GCM under
/// the subject's own data keys (two key groups, each wrapped by the Data Protection key ring), the
/// blind index of e-mail and phone, and consent events for 5 purposes. It writes through the vault's
/// own encryption code but straight into SQLite in large transactions, so 100,000 subjects take
/// seconds rather than the minutes that 600,000 API calls would. Seeding is set-up, not an access:
/// it is not in the audit trail.
/// </summary>
internal sealed class Seeder : IAsyncDisposable
{
    public const string ReadPurpose = "marketing-email";

    /// <summary>The 10 fields every subject has: the 8 everyday ones and 2 under the invoicing legal hold.</summary>
    private static readonly string[] FieldNames =
        ["email", "given_name", "family_name", "phone", "postal_address", "birth_date", "preferred_language", "interests", "billing_name", "billing_address"];

    /// <summary>Consent for 5 purposes: all given, except that every third subject refused partner sharing.</summary>
    private static readonly string[] ConsentPurposes = ["service-delivery", ReadPurpose, "analytics", "personalisation", "partner-sharing"];

    private static readonly string[] GivenNames = ["Ana", "Marta", "Jordi", "Giulia", "Kadri", "Lucas", "Núria", "Marco", "Priit", "Elena"];
    private static readonly string[] FamilyNames = ["García", "Puig", "Rossi", "Tamm", "López", "Bianchi", "Ferrer", "Kask", "Romero", "Conti"];
    private static readonly string[] Languages = ["en", "es", "ca", "it", "et"];
    private static readonly string[] Interests = ["sports", "travel", "technology", "books", "music", "cooking", "fashion", "gardening", "cinema", "fitness"];

    private const int BatchSize = 2000;

    private readonly ServiceProvider _services;
    private readonly PolicyCatalogue _catalogue;
    private readonly KeyEncryptionKey _kek;
    private readonly BlindIndex _blindIndex;
    private readonly string _database;

    private Seeder(ServiceProvider services, string database)
    {
        _services = services;
        _database = database;
        _catalogue = services.GetRequiredService<PolicyCatalogue>();
        _kek = services.GetRequiredService<KeyEncryptionKey>();
        _blindIndex = services.GetRequiredService<BlindIndex>();
    }

    /// <summary>Creates (migrates) the vault in <paramref name="dataDirectory"/> with its key ring and blind-index key, as the service would on first start.</summary>
    public static async Task<Seeder> CreateAsync(string dataDirectory, string catalogueDirectory)
    {
        var settings = new Dictionary<string, string?>(BenchmarkKeyRing.Settings(dataDirectory).Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
        {
            ["Vault:DataDirectory"] = dataDirectory,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(PolicyCatalogueLoader.Load(catalogueDirectory));
        services.AddVault(configuration);
        var provider = services.BuildServiceProvider();
        await provider.InitializeVaultAsync();
        return new Seeder(provider, Path.Combine(dataDirectory, "datavault.db"));
    }

    /// <summary>Seeds every set in order and returns the ids of each, in creation order.</summary>
    public Dictionary<string, List<string>> Seed(IReadOnlyList<SeedSet> sets, TextWriter progress)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database, Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;";
            pragma.ExecuteNonQuery();
        }

        using var writer = new RowWriter(connection);
        var ids = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var sequence = 0;
        foreach (var set in sets)
        {
            var stopwatch = Stopwatch.StartNew();
            var mine = ids[set.Name] = new List<string>(set.Count);
            var batches = (set.Count + BatchSize - 1) / BatchSize;
            var start = sequence;
            Task<SubjectRows[]> Build(int batch) => Task.Run(() =>
            {
                var first = batch * BatchSize;
                var rows = new SubjectRows[Math.Min(BatchSize, set.Count - first)];
                Parallel.For(0, rows.Length, i => rows[i] = BuildSubject(start + first + i, set.VersionsPerField));
                return rows;
            });

            var next = Build(0);
            for (var batch = 0; batch < batches; batch++)
            {
                var rows = next.GetAwaiter().GetResult();
                next = batch + 1 < batches ? Build(batch + 1) : next;
                writer.Write(rows);
                mine.AddRange(rows.Select(r => r.SubjectId));
                if ((batch + 1) % 25 == 0)
                {
                    progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {set.Name}: {mine.Count:N0} of {set.Count:N0} subjects"));
                }
            }

            sequence += set.Count;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {set.Name}: {set.Count:N0} subjects with {set.VersionsPerField * FieldNames.Length:N0} field versions each in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        }

        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private SubjectRows BuildSubject(int n, int versionsPerField)
    {
        // Subjects are created over the last two years; UUIDv7 ids keep that order.
        var created = DateTimeOffset.UtcNow.AddMinutes(-1_000_000 + (n % 1_000_000));
        var subjectId = Guid.CreateVersion7(created).ToString("D");
        var submitted = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["email"] = $"person{n}@example.com",
            ["given_name"] = GivenNames[n % GivenNames.Length],
            ["family_name"] = FamilyNames[(n / 10) % FamilyNames.Length],
            ["phone"] = string.Create(CultureInfo.InvariantCulture, $"+34{600_000_000 + n}"),
            ["postal_address"] = string.Create(CultureInfo.InvariantCulture, $"Carrer de Mallorca {(n % 400) + 1}\n08013 Barcelona"),
            ["birth_date"] = new DateOnly(1950, 1, 1).AddDays(n % 20_000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["preferred_language"] = Languages[n % Languages.Length],
            ["interests"] = new[] { Interests[n % Interests.Length], Interests[(n / 3) % Interests.Length] }.Distinct().ToArray(),
            ["billing_name"] = $"{GivenNames[n % GivenNames.Length]} {FamilyNames[(n / 10) % FamilyNames.Length]}",
            ["billing_address"] = string.Create(CultureInfo.InvariantCulture, $"Carrer de Mallorca {(n % 400) + 1}\n08013 Barcelona"),
        };
        using var document = JsonSerializer.SerializeToDocument(submitted);
        var fields = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var (canonical, errors) = FieldSetValidator.Validate(_catalogue, fields, DateOnly.FromDateTime(DateTime.UtcNow));
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Seed data does not pass the catalogue's rules: {string.Join(", ", errors.Keys)}");
        }

        var keys = new Dictionary<string, DataKey>(StringComparer.Ordinal);
        var rows = new SubjectRows(subjectId, StoredInstant.Format(created));
        foreach (var name in FieldNames)
        {
            var definition = _catalogue.Fields[name];
            if (!keys.TryGetValue(definition.KeyGroup, out var key))
            {
                key = keys[definition.KeyGroup] = DataKey.Generate();
                rows.Keys.Add((definition.KeyGroup, _kek.Wrap(key, subjectId, definition.KeyGroup)));
            }

            var plaintext = Encoding.UTF8.GetBytes(canonical[name]);
            for (var version = 1; version <= versionsPerField; version++)
            {
                rows.Fields.Add((name, version, definition.KeyGroup, FieldCipher.Encrypt(key, subjectId, name, version, plaintext)));
            }

            if (definition.Searchable)
            {
                var normalized = FieldValues.NormalizeForLookup(definition, JsonSerializer.Deserialize<string>(canonical[name])!)!;
                rows.Index.Add((name, _blindIndex.Compute(name, normalized)));
            }
        }

        for (var p = 0; p < ConsentPurposes.Length; p++)
        {
            var purpose = _catalogue.Purposes[ConsentPurposes[p]];
            var state = purpose.Id == "partner-sharing" && n % 3 == 0 ? "refused" : "given";
            rows.Consents.Add((Guid.CreateVersion7(created.AddSeconds(p + 1)).ToString("D"), purpose.Id, purpose.Version, state, StoredInstant.Format(created.AddSeconds(p + 1))));
        }

        return rows;
    }

    private sealed record SubjectRows(string SubjectId, string CreatedAt)
    {
        public List<(string KeyGroup, byte[] Wrapped)> Keys { get; } = new(2);

        public List<(string Field, int Version, string KeyGroup, byte[] Ciphertext)> Fields { get; } = new(10);

        public List<(string Field, byte[] Digest)> Index { get; } = new(2);

        public List<(string Id, string PurposeId, string Version, string State, string At)> Consents { get; } = new(5);
    }

    /// <summary>Prepared inserts into the vault's tables; one transaction per batch.</summary>
    private sealed class RowWriter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _subject;
        private readonly SqliteCommand _key;
        private readonly SqliteCommand _field;
        private readonly SqliteCommand _index;
        private readonly SqliteCommand _consent;

        public RowWriter(SqliteConnection connection)
        {
            _connection = connection;
            _subject = Prepare("INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($1, 'active', $2, $2);", 2);
            _key = Prepare("INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($1, $2, $3, $4);", 4);
            _field = Prepare("INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5, $6);", 6);
            _index = Prepare("INSERT INTO blind_index (subject_id, field, digest) VALUES ($1, $2, $3);", 3);
            _consent = Prepare(
                """
                INSERT INTO consent_events (id, subject_id, purpose_id, purpose_version, state, occurred_at, recorded_at, collection_method, actor_type, actor_id, notice_language)
                VALUES ($1, $2, $3, $4, $5, $6, $6, 'import', 'client', 'load', 'en');
                """,
                6);
        }

        public void Write(SubjectRows[] batch)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var command in new[] { _subject, _key, _field, _index, _consent })
            {
                command.Transaction = transaction;
            }

            foreach (var s in batch)
            {
                Execute(_subject, s.SubjectId, s.CreatedAt);
                foreach (var (group, wrapped) in s.Keys)
                {
                    Execute(_key, s.SubjectId, group, wrapped, s.CreatedAt);
                }

                foreach (var (field, version, group, ciphertext) in s.Fields)
                {
                    Execute(_field, s.SubjectId, field, version, group, ciphertext, s.CreatedAt);
                }

                foreach (var (field, digest) in s.Index)
                {
                    Execute(_index, s.SubjectId, field, digest);
                }

                foreach (var (id, purpose, version, state, at) in s.Consents)
                {
                    Execute(_consent, id, s.SubjectId, purpose, version, state, at);
                }
            }

            transaction.Commit();
        }

        public void Dispose()
        {
            foreach (var command in new[] { _subject, _key, _field, _index, _consent })
            {
                command.Dispose();
            }
        }

        private static void Execute(SqliteCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            command.ExecuteNonQuery();
        }

        private SqliteCommand Prepare(string sql, int parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 1; i <= parameters; i++)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture) });
            }

            return command;
        }
    }
}
