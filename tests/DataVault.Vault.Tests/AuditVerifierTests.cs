using System.Buffers.Binary;
using System.Security.Cryptography;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>
/// <see cref="AuditVerifier"/> reads the trail in segments on several threads; whatever the tampering,
/// it must report what one pass over the entries in sequence order reports (<see cref="Reference"/>).
/// The trail spans more than two segments, so faults sit on, before and after segment boundaries.
/// Every verification runs twice: on the native path (rows straight from e_sqlite3, SHA-256 through
/// OpenSSL 3) and on the managed one (<c>managed: true</c>) that another SQLite bundle or a machine
/// without OpenSSL 3 falls back to.
/// </summary>
public sealed class AuditVerifierTests(AuditVerifierTests.Trail trail) : IClassFixture<AuditVerifierTests.Trail>
{
    private const int Entries = (3 * AuditChainScan.SegmentEntries) + 1200;
    private const long SecondSegment = AuditChainScan.SegmentEntries + 1;
    private const long ThirdSegment = (2 * AuditChainScan.SegmentEntries) + 1;
    private const long LastSegment = (3 * AuditChainScan.SegmentEntries) + 1;
    private const long LastCheckpoint = Entries / 1000 * 1000;

    // Entries whose subject_id is empty and purpose_id null, and whose fields hold U+FFFD (see Record).
    private static readonly long EmptyAndNull = Kind(ThirdSegment + 100, 2);
    private static readonly long ReplacementCharacter = Kind(ThirdSegment + 100, 4);

    // An entry made for a person (format 2), and one made by a client on its own (format 1).
    private static readonly long WithPerson = Kind(SecondSegment + 200, 0);
    private static readonly long WithoutPerson = Kind(SecondSegment + 200, 1);

    // Entries made for a data-subject request (format 3): one by a subject on their own, one by a client for a person.
    private static readonly long WithRequest = Kind(SecondSegment + 300, 3);
    private static readonly long WithPersonAndRequest = Kind(SecondSegment + 300, 6);

    /// <summary>Each of <see cref="Tamperings"/> on the native and on the managed path.</summary>
    public static IEnumerable<object[]> Tampering => Tamperings.SelectMany(row => new[] { false, true }.Select(managed => (object[])[.. row, managed]));

    private static TheoryData<string, string, long, string> Tamperings => new()
    {
        { "edit an entry in the last segment", $"UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = {LastSegment + 700};", LastSegment + 700, Changed },
        { "edit entries in two segments", $"UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence IN ({SecondSegment + 900}, {LastSegment + 700});", SecondSegment + 900, Changed },
        { "edit the first entry of a segment", $"UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = {SecondSegment};", SecondSegment, Changed },
        { "edit the last entry of a segment", $"UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = {SecondSegment - 1};", SecondSegment - 1, Changed },
        { "delete the last entry of a segment", $"DELETE FROM audit_entries WHERE sequence = {SecondSegment - 1};", SecondSegment - 1, Missing },
        { "delete the first entry of a segment", $"DELETE FROM audit_entries WHERE sequence = {SecondSegment};", SecondSegment, Missing },
        { "delete a whole segment", $"DELETE FROM audit_entries WHERE sequence BETWEEN {SecondSegment} AND {ThirdSegment - 1};", SecondSegment, Missing },
        { "delete in two segments", $"DELETE FROM audit_entries WHERE sequence IN (5, {ThirdSegment + 3});", 5, Missing },
        {
            "swap two entries across a segment boundary",
            $"UPDATE audit_entries SET sequence = -1 WHERE sequence = {SecondSegment - 1}; UPDATE audit_entries SET sequence = {SecondSegment - 1} WHERE sequence = {SecondSegment}; UPDATE audit_entries SET sequence = {SecondSegment} WHERE sequence = -1;",
            SecondSegment - 1,
            Unlinked
        },
        { "unlink the first entry of a segment", $"UPDATE audit_entries SET previous_hash = zeroblob(32) WHERE sequence = {ThirdSegment};", ThirdSegment, Unlinked },
        { "unlink an entry inside a segment", $"UPDATE audit_entries SET previous_hash = zeroblob(32) WHERE sequence = {ThirdSegment + 99};", ThirdSegment + 99, Unlinked },
        { "truncate the tail behind a checkpoint", $"DELETE FROM audit_entries WHERE sequence >= {ThirdSegment};", ThirdSegment, $"The trail ends at {ThirdSegment - 1} but a signed checkpoint covers entries up to {LastCheckpoint}: the tail was removed." },
        { "add an entry numbered 0", "INSERT INTO audit_entries SELECT 0, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash, on_behalf_of, request_id FROM audit_entries WHERE sequence = 1;", 1, OutOfOrder },
        { "add an entry far beyond the head", "INSERT INTO audit_entries SELECT 1000000000000, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash, on_behalf_of, request_id FROM audit_entries WHERE sequence = 1;", Entries + 1, Missing },
        { "store a text value as a blob of the same bytes", $"UPDATE audit_entries SET actor_id = CAST(actor_id AS BLOB) WHERE sequence = {EmptyAndNull};", EmptyAndNull, Changed },
        { "store bytes that are not UTF-8 but decode to the same text", $"UPDATE audit_entries SET fields = CAST(x'61ff62' AS TEXT) WHERE sequence = {ReplacementCharacter};", ReplacementCharacter, Changed },
        { "make an empty value null", $"UPDATE audit_entries SET subject_id = NULL WHERE sequence = {EmptyAndNull};", EmptyAndNull, Changed },
        { "make a null value empty", $"UPDATE audit_entries SET purpose_id = '' WHERE sequence = {EmptyAndNull};", EmptyAndNull, Changed },
        { "store the previous hash as text", $"UPDATE audit_entries SET previous_hash = CAST(previous_hash AS TEXT) WHERE sequence = {ThirdSegment + 99};", ThirdSegment + 99, Unlinked },
        { "store the previous hash of a segment's first entry as text", $"UPDATE audit_entries SET previous_hash = CAST(previous_hash AS TEXT) WHERE sequence = {ThirdSegment};", ThirdSegment, Unlinked },
        { "store the hash as text", $"UPDATE audit_entries SET hash = CAST(hash AS TEXT) WHERE sequence = {ThirdSegment + 99};", ThirdSegment + 99, Changed },
        { "shorten a hash", $"UPDATE audit_entries SET hash = substr(hash, 1, 31) WHERE sequence = {ThirdSegment + 99};", ThirdSegment + 99, Changed },
        { "break a checkpoint's signature", "UPDATE audit_checkpoints SET hash = zeroblob(32) WHERE sequence = 7000;", 7000, "A checkpoint is not signed by a trusted key of this vault, or its signature does not verify." },
        { "remove the person a client acted for", $"UPDATE audit_entries SET on_behalf_of = NULL WHERE sequence = {WithPerson};", WithPerson, Changed },
        { "change the person a client acted for", $"UPDATE audit_entries SET on_behalf_of = 'someone-else' WHERE sequence = {WithPerson};", WithPerson, Changed },
        { "add a person to an entry made without one", $"UPDATE audit_entries SET on_behalf_of = 'staff-0001' WHERE sequence = {WithoutPerson};", WithoutPerson, Changed },
        { "store the person as a blob", $"UPDATE audit_entries SET on_behalf_of = CAST(on_behalf_of AS BLOB) WHERE sequence = {WithPerson};", WithPerson, Changed },
        { "change the request an action was taken for", $"UPDATE audit_entries SET request_id = 'another-request' WHERE sequence = {WithRequest};", WithRequest, Changed },
        { "remove the request an action was taken for", $"UPDATE audit_entries SET request_id = NULL WHERE sequence = {WithRequest};", WithRequest, Changed },
        { "add a request to an entry made for none", $"UPDATE audit_entries SET request_id = 'a-request' WHERE sequence = {WithoutPerson};", WithoutPerson, Changed },
        { "add a request to an entry made for a person", $"UPDATE audit_entries SET request_id = 'a-request' WHERE sequence = {WithPerson};", WithPerson, Changed },
        { "add a person to an entry made for a request", $"UPDATE audit_entries SET on_behalf_of = 'staff-0001' WHERE sequence = {WithRequest};", WithRequest, Changed },
        { "remove the person of an entry made for a person and a request", $"UPDATE audit_entries SET on_behalf_of = NULL WHERE sequence = {WithPersonAndRequest};", WithPersonAndRequest, Changed },
        { "store the request as a blob", $"UPDATE audit_entries SET request_id = CAST(request_id AS BLOB) WHERE sequence = {WithRequest};", WithRequest, Changed },
    };

    private const string Missing = "Entries are missing.";
    private const string OutOfOrder = "Entries are out of order.";
    private const string Unlinked = "The entry does not link to the one before it.";
    private const string Changed = "The entry was changed after it was written.";
    private const string CheckpointDiffers = "The entry differs from what a signed checkpoint recorded.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_TrailAsWritten_IsValidAndCountsEveryEntry(bool managed)
    {
        using var connection = trail.OpenCopy();

        var result = Verify(connection, managed);

        Assert.Equal(new AuditVerification(true, Entries, Entries / 1000, null, null), result);
        Assert.Equal(result, Reference(connection, trail.TrustedKeys));
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Verify_TamperedTrail_ReportsTheFirstBadSequenceAsASinglePassWould(string scenario, string tamper, long firstBad, string problem, bool managed)
    {
        using var connection = trail.OpenCopy();
        Execute(connection, tamper);

        var result = Verify(connection, managed);

        Assert.True(firstBad == result.FirstBadSequence && problem == result.Problem, $"{scenario}: {result}");
        Assert.Equal(Reference(connection, trail.TrustedKeys), result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_EntryRewrittenWithAValidHashAtASegmentEnd_ReportsTheNextEntryAsUnlinked(bool managed)
    {
        using var connection = trail.OpenCopy();
        Rewrite(connection, SecondSegment - 1, rehashFollowing: false);

        var result = Verify(connection, managed);

        Assert.Equal((SecondSegment, Unlinked), (result.FirstBadSequence, result.Problem));
        Assert.Equal(Reference(connection, trail.TrustedKeys), result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_ChainRewrittenFromAnEntry_ReportsTheFirstEntryACheckpointContradicts(bool managed)
    {
        using var connection = trail.OpenCopy();
        Rewrite(connection, 9500, rehashFollowing: true);

        var result = Verify(connection, managed);

        Assert.Equal((10000L, CheckpointDiffers), (result.FirstBadSequence, result.Problem));
        Assert.Equal(Reference(connection, trail.TrustedKeys), result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_RandomTamperings_AgreesWithASinglePass(bool managed)
    {
        var random = new Random(20261123);
        long[] boundaries = [1, 2, SecondSegment - 1, SecondSegment, SecondSegment + 1, ThirdSegment - 1, ThirdSegment, LastSegment - 1, LastSegment, 1000, LastCheckpoint, Entries];
        for (var round = 0; round < 16; round++)
        {
            using var connection = trail.OpenCopy();
            var applied = new List<string>();
            for (var change = random.Next(1, 4); change > 0; change--)
            {
                var sequence = random.Next(3) == 0 ? random.NextInt64(1, Entries + 1) : boundaries[random.Next(boundaries.Length)];
                var tamper = RandomTamper(random, sequence);
                applied.Add(tamper);
                Execute(connection, tamper);
            }

            var result = Verify(connection, managed);

            var expected = Reference(connection, trail.TrustedKeys);
            Assert.True(expected == result, $"{string.Join(" ", applied)}\nexpected {expected}\nactual   {result}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_DatabaseWithoutAFile_ReadsThroughTheGivenConnection(bool managed)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrator.Migrate(connection, TimeProvider.System, migrations: SchemaMigrator.Audit);
        AuditStore.Append(connection, [.. Enumerable.Range(1, AuditChainScan.SegmentEntries + 10).Select(n => Record(n))], DateTimeOffset.UnixEpoch);
        Assert.Equal(AuditChainScan.SegmentEntries + 10, Verify(connection, managed).Entries);

        Execute(connection, $"UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = {SecondSegment + 2};");

        Assert.Equal(SecondSegment + 2, Verify(connection, managed).FirstBadSequence);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_FileDeletedWhileOpen_ReadsThroughTheGivenConnection(bool managed)
    {
        using var connection = trail.OpenCopy();
        Execute(connection, $"UPDATE audit_entries SET actor_id = 'someone-else' WHERE sequence = {LastSegment + 2};");
        var path = connection.DataSource;
        File.Delete(path);

        var result = Verify(connection, managed);

        Assert.False(File.Exists(path));
        Assert.Equal((LastSegment + 2, Changed), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public void ComputeHash_KnownEntries_KeepTheCanonicalForm()
    {
        // Trails already written must keep verifying: these hashes were computed before the encoder was shared.
        byte[] previous = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];
        var read = new AuditRecord("client", "crm-eu", "subject.read", "success", "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a", "marketing-email", "email,given_name", "phone:not-in-purpose", "4bf92f3577b34da6a3ce929d0e0e4736");
        var nullAndEmpty = new AuditRecord("officer", "dpo@example.com", "audit.verify", "success", null, "", null, "", null);
        var awkward = new AuditRecord("système", "ünïcødé-é", "a\0b", "\ud800", "\U0001F600");

        Assert.Equal("8112b6db497405b33b077a6b9d5282348e7419d60a3abcbe81dc515405ae5782", Convert.ToHexStringLower(AuditChain.ComputeHash(42, "2026-11-23T10:15:30.1234567Z", read, previous)));
        Assert.Equal("a4e37a4771aa715bb9bcf5e97729ae69b14606d6349b50cb7cfa9d93a25b1a2c", Convert.ToHexStringLower(AuditChain.ComputeHash(1, "2026-11-23T10:15:30.0000000Z", nullAndEmpty, AuditChain.Genesis)));
        Assert.Equal("089f963e8b6552b1f3832afa5c2dba60ace9037932d371959cb9ddf9637baded", Convert.ToHexStringLower(AuditChain.ComputeHash(long.MaxValue, "t", awkward, previous)));
    }

    [Fact]
    public void ComputeHash_WithAPerson_AddsAnEleventhFieldAndOtherwiseHashesAsBefore()
    {
        byte[] previous = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];
        var read = new AuditRecord("client", "crm-eu", "subject.read", "success", "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a", "marketing-email", "email,given_name", "phone:not-in-purpose", "4bf92f3577b34da6a3ce929d0e0e4736");

        // Format 1, unchanged by the new column: the same hash as in ComputeHash_KnownEntries_KeepTheCanonicalForm.
        Assert.Equal("8112b6db497405b33b077a6b9d5282348e7419d60a3abcbe81dc515405ae5782", Convert.ToHexStringLower(AuditChain.ComputeHash(42, "2026-11-23T10:15:30.1234567Z", read with { OnBehalfOf = null }, previous)));

        // Format 2: the ten fields, the person length-prefixed like them, then the previous hash.
        var withPerson = read with { OnBehalfOf = "8d1c2a64-staff" };
        byte[] form = [.. BigEndian(42L), .. Field("2026-11-23T10:15:30.1234567Z"), .. Field("client"), .. Field("crm-eu"), .. Field("subject.read"), .. Field("0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a"), .. Field("marketing-email"), .. Field("email,given_name"), .. Field("phone:not-in-purpose"), .. Field("success"), .. Field("4bf92f3577b34da6a3ce929d0e0e4736"), .. Field("8d1c2a64-staff"), .. previous];
        Assert.Equal(SHA256.HashData(form), AuditChain.ComputeHash(42, "2026-11-23T10:15:30.1234567Z", withPerson, previous));
        Assert.NotEqual(AuditChain.ComputeHash(42, "2026-11-23T10:15:30.1234567Z", withPerson with { OnBehalfOf = string.Empty }, previous), AuditChain.ComputeHash(42, "2026-11-23T10:15:30.1234567Z", read, previous));

        static byte[] Field(string value) => [.. BigEndian(System.Text.Encoding.UTF8.GetByteCount(value)), .. System.Text.Encoding.UTF8.GetBytes(value)];
    }

    [Fact]
    public void ComputeHash_WithARequest_AddsThePersonOrNullAndTheRequestAndOtherwiseHashesAsBefore()
    {
        byte[] previous = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];
        var read = new AuditRecord("client", "crm-eu", "subject.read", "success", "0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a", "marketing-email", "email,given_name", "phone:not-in-purpose", "4bf92f3577b34da6a3ce929d0e0e4736");
        const string At = "2026-11-23T10:15:30.1234567Z";
        const string Request = "0196d0a0-1111-7c41-9b52-3f1e2d4c5b6a";
        byte[] tenFields = [.. BigEndian(42L), .. Field(At), .. Field("client"), .. Field("crm-eu"), .. Field("subject.read"), .. Field("0196c8a2-7d3e-7c41-9b52-3f1e2d4c5b6a"), .. Field("marketing-email"), .. Field("email,given_name"), .. Field("phone:not-in-purpose"), .. Field("success"), .. Field("4bf92f3577b34da6a3ce929d0e0e4736")];

        // Formats 1 and 2, unchanged by the new column.
        Assert.Equal("8112b6db497405b33b077a6b9d5282348e7419d60a3abcbe81dc515405ae5782", Convert.ToHexStringLower(AuditChain.ComputeHash(42, At, read with { RequestId = null }, previous)));
        Assert.Equal(SHA256.HashData([.. tenFields, .. Field("8d1c2a64-staff"), .. previous]), AuditChain.ComputeHash(42, At, read with { OnBehalfOf = "8d1c2a64-staff" }, previous));

        // Format 3 without a person: null (length -1) as the eleventh field, the request as the twelfth.
        Assert.Equal(SHA256.HashData([.. tenFields, .. BigEndian(-1), .. Field(Request), .. previous]), AuditChain.ComputeHash(42, At, read with { RequestId = Request }, previous));

        // Format 3 with a person: the person, then the request.
        Assert.Equal(SHA256.HashData([.. tenFields, .. Field("8d1c2a64-staff"), .. Field(Request), .. previous]), AuditChain.ComputeHash(42, At, read with { OnBehalfOf = "8d1c2a64-staff", RequestId = Request }, previous));

        // A person and no request never hashes as a request and no person.
        Assert.NotEqual(AuditChain.ComputeHash(42, At, read with { OnBehalfOf = Request }, previous), AuditChain.ComputeHash(42, At, read with { RequestId = Request }, previous));

        static byte[] Field(string value) => [.. BigEndian(System.Text.Encoding.UTF8.GetByteCount(value)), .. System.Text.Encoding.UTF8.GetBytes(value)];
    }

    private AuditVerification Verify(SqliteConnection connection, bool managed) =>
        AuditVerifier.Verify(connection, trail.TrustedKeys, path: managed ? AuditScanPath.Managed : AuditScanPath.Native);

    /// <summary>The first sequence number from <paramref name="from"/> on whose <see cref="Record"/> is of this kind.</summary>
    private static long Kind(long from, int kind) => from + ((kind - (from % 7) + 7) % 7);

    /// <summary>Some entries carry what encodings get wrong: empty versus null, non-ASCII, lone surrogates, U+FFFD, NUL, values longer than the encoder's first buffer.</summary>
    private static AuditRecord Record(long sequence) => (sequence % 7) switch
    {
        0 => new(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Success, Subject(sequence), "marketing-email", "email,given_name", "phone:not-in-purpose", Trace(sequence), $"staff-{sequence % 3}"),
        1 => new(AuditActors.Client, "crm-eu", AuditActions.SubjectCreate, AuditOutcomes.Attempted, Fields: "email,given_name,phone", TraceId: Trace(sequence)),
        2 => new(AuditActors.Officer, "dpo@example.com", AuditActions.AuditVerify, AuditOutcomes.Success, SubjectId: "", Fields: "", TraceId: Trace(sequence)),
        3 => new(AuditActors.Subject, "søren-åberg", AuditActions.ConsentRecord, AuditOutcomes.Success, Subject(sequence), "personalisation", "prénom,姓,😀", TraceId: Trace(sequence), RequestId: Request(sequence)),
        4 => new(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Denied, Subject(sequence), "analytics", "a\uFFFDb", "lone\ud800surrogate", Trace(sequence)),
        5 => new(AuditActors.System, "retention", AuditActions.SubjectErase, AuditOutcomes.Success, Subject(sequence), TraceId: "nul\0inside"),
        _ => new(AuditActors.Client, "crm-eu", AuditActions.PurposeExport, AuditOutcomes.Success, PurposeId: "marketing-email", Fields: string.Join(',', Enumerable.Repeat("postal_address", 100)), TraceId: Trace(sequence), OnBehalfOf: "staff-ü", RequestId: Request(sequence)),
    };

    private static string Request(long sequence) => $"0196c8a2-7d3e-7c41-9b52-{sequence + 1:D12}";

    private static string Subject(long sequence) => $"0196c8a2-7d3e-7c41-9b52-{sequence:D12}";

    private static string Trace(long sequence) => $"{sequence:x32}";

    private static string RandomTamper(Random random, long sequence)
    {
        string[] columns = ["occurred_at", "actor_type", "actor_id", "action", "subject_id", "purpose_id", "fields", "withheld", "outcome", "trace_id", "on_behalf_of", "request_id"];
        var column = columns[random.Next(columns.Length)];
        return random.Next(12) switch
        {
            0 => $"UPDATE audit_entries SET {column} = 'x' WHERE sequence = {sequence};",
            1 => $"UPDATE audit_entries SET {column} = CAST({column} AS BLOB) WHERE sequence = {sequence};",
            2 => $"UPDATE OR IGNORE audit_entries SET {column} = CASE WHEN {column} IS NULL THEN '' ELSE NULL END WHERE sequence = {sequence};",
            3 => $"DELETE FROM audit_entries WHERE sequence = {sequence};",
            4 => $"DELETE FROM audit_entries WHERE sequence BETWEEN {sequence} AND {sequence + random.Next(1, 3000)};",
            5 => $"UPDATE audit_entries SET sequence = -7777 WHERE sequence = {sequence}; UPDATE audit_entries SET sequence = {sequence} WHERE sequence = {sequence + 1}; UPDATE audit_entries SET sequence = {sequence + 1} WHERE sequence = -7777;",
            6 => $"UPDATE audit_entries SET previous_hash = randomblob(32) WHERE sequence = {sequence};",
            7 => $"UPDATE audit_entries SET hash = CAST(hash AS TEXT) WHERE sequence = {sequence};",
            8 => $"DELETE FROM audit_entries WHERE sequence >= {sequence};",
            9 => $"INSERT OR IGNORE INTO audit_entries SELECT {random.Next(-2, 1) + (random.Next(2) * (Entries + random.Next(1, 20000)))}, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash, on_behalf_of, request_id FROM audit_entries WHERE sequence = {sequence};",
            10 => $"UPDATE audit_checkpoints SET hash = zeroblob(32) WHERE sequence = {sequence / 1000 * 1000};",
            _ => $"DELETE FROM audit_checkpoints WHERE sequence >= {sequence};",
        };
    }

    /// <summary>Replaces entry <paramref name="sequence"/> by one with a correct hash, and optionally re-chains every entry after it.</summary>
    private static void Rewrite(SqliteConnection connection, long sequence, bool rehashFollowing)
    {
        using var transaction = connection.BeginTransaction();
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT sequence, occurred_at, previous_hash FROM audit_entries WHERE sequence {(rehashFollowing ? ">=" : "=")} {sequence} ORDER BY sequence;";
        var rows = new List<(long Sequence, string OccurredAt, byte[] Previous)>();
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), (byte[])reader[2]));
            }
        }

        var previous = rows[0].Previous;
        foreach (var (at, occurredAt, _) in rows)
        {
            var record = at == sequence ? Record(at) with { Outcome = AuditOutcomes.Failed } : Record(at);
            var hash = AuditChain.ComputeHash(at, occurredAt, record, previous);
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE audit_entries SET outcome = $outcome, previous_hash = $previous, hash = $hash WHERE sequence = $sequence;";
            update.Parameters.AddWithValue("$outcome", record.Outcome);
            update.Parameters.AddWithValue("$previous", previous);
            update.Parameters.AddWithValue("$hash", hash);
            update.Parameters.AddWithValue("$sequence", at);
            update.ExecuteNonQuery();
            previous = hash;
        }

        transaction.Commit();
    }

    /// <summary>
    /// The verification as one pass over the entries in sequence order, with its own encoding of the
    /// canonical form from the values SQL returns (text columns must hold text, or null where allowed).
    /// </summary>
    private static AuditVerification Reference(SqliteConnection connection, IReadOnlyDictionary<string, string> trustedKeys)
    {
        var checkpoints = AuditVerifier.ReadCheckpoints(connection);
        var expected = new Dictionary<long, byte[]>();
        foreach (var checkpoint in checkpoints)
        {
            if (!AuditCheckpoints.IsValid(checkpoint, trustedKeys))
            {
                return new(false, 0, checkpoints.Count, checkpoint.Sequence, "A checkpoint is not signed by a trusted key of this vault, or its signature does not verify.");
            }

            if (expected.TryGetValue(checkpoint.Sequence, out var other) && !other.AsSpan().SequenceEqual(checkpoint.Hash))
            {
                return new(false, 0, checkpoints.Count, checkpoint.Sequence, "Two checkpoints disagree about the same entry.");
            }

            expected[checkpoint.Sequence] = checkpoint.Hash;
        }

        string[] columns = ["occurred_at", "actor_type", "actor_id", "action", "subject_id", "purpose_id", "fields", "withheld", "outcome", "trace_id", "previous_hash", "hash", "on_behalf_of", "request_id"];
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sequence, {string.Join(", ", columns.Select(c => $"typeof({c}), CAST({c} AS BLOB)"))} FROM audit_entries ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var previous = AuditChain.Genesis;
        long next = 1;
        while (reader.Read())
        {
            var sequence = reader.GetInt64(0);
            if (sequence != next)
            {
                return new(false, next - 1, checkpoints.Count, next, sequence > next ? Missing : OutOfOrder);
            }

            byte[]? Value(int column, string type) => reader.GetString(1 + (2 * column)) == type ? (byte[])reader[2 + (2 * column)] : null;
            if (Value(10, "blob") is not { } storedPrevious || !storedPrevious.AsSpan().SequenceEqual(previous))
            {
                return new(false, sequence - 1, checkpoints.Count, sequence, Unlinked);
            }

            var form = new List<byte>();
            form.AddRange(BigEndian(sequence));
            var wellTyped = true;
            for (var column = 0; column < 10; column++)
            {
                var nullable = columns[column] is "subject_id" or "purpose_id" or "fields" or "withheld" or "trace_id";
                if (Value(column, "text") is { } text)
                {
                    form.AddRange(BigEndian(text.Length));
                    form.AddRange(text);
                }
                else if (nullable && reader.GetString(1 + (2 * column)) == "null")
                {
                    form.AddRange(BigEndian(-1));
                }
                else
                {
                    wellTyped = false;
                }
            }

            // Format 2: the person a client acted for, when there is one, as an eleventh field. Format 3: with a
            // request, the person (or null) as the eleventh field and the request as the twelfth.
            var request = Value(13, "text");
            if (request is null && reader.GetString(1 + (2 * 13)) != "null")
            {
                wellTyped = false;
            }

            if (Value(12, "text") is { } person)
            {
                form.AddRange(BigEndian(person.Length));
                form.AddRange(person);
            }
            else if (reader.GetString(1 + (2 * 12)) != "null")
            {
                wellTyped = false;
            }
            else if (request is not null)
            {
                form.AddRange(BigEndian(-1));
            }

            if (request is not null)
            {
                form.AddRange(BigEndian(request.Length));
                form.AddRange(request);
            }

            form.AddRange(previous);
            var hash = SHA256.HashData([.. form]);
            if (!wellTyped || Value(11, "blob") is not { } stored || !stored.AsSpan().SequenceEqual(hash))
            {
                return new(false, sequence - 1, checkpoints.Count, sequence, Changed);
            }

            if (expected.TryGetValue(sequence, out var recorded) && !recorded.AsSpan().SequenceEqual(hash))
            {
                return new(false, sequence - 1, checkpoints.Count, sequence, CheckpointDiffers);
            }

            previous = hash;
            next++;
        }

        var last = next - 1;
        var beyond = expected.Keys.Where(s => s > last).DefaultIfEmpty(0).Max();
        return beyond > 0
            ? new(false, last, checkpoints.Count, last + 1, $"The trail ends at {last} but a signed checkpoint covers entries up to {beyond}: the tail was removed.")
            : new(true, last, checkpoints.Count, null, null);
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A trail of <see cref="Entries"/> entries written by <see cref="AuditStore.Append"/>, a signed
    /// checkpoint every 1,000 as the service writes them; each test works on its own copy.
    /// </summary>
    public sealed class Trail : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _directory = new();
        private TestVault? _vault;

        public IReadOnlyDictionary<string, string> TrustedKeys { get; private set; } = new Dictionary<string, string>();

        private string Original => Path.Combine(_directory.Path, "audit.db");

        public async Task InitializeAsync()
        {
            _vault = await TestVault.StartAsync();
            var checkpoints = _vault.Services.GetRequiredService<AuditCheckpoints>();
            using (var connection = AuditStore.Open(Original, TimeSpan.FromSeconds(5)))
            {
                SchemaMigrator.Migrate(connection, _vault.Time, migrations: SchemaMigrator.Audit);
                for (var first = 1; first <= Entries; first += 1000)
                {
                    var records = Enumerable.Range(first, Math.Min(1000, Entries - first + 1)).Select(n => Record(n)).ToList();
                    var written = AuditStore.Append(connection, records, _vault.Time.GetUtcNow());
                    _vault.Time.Advance(TimeSpan.FromSeconds(1));
                    if (written[^1].Sequence % 1000 == 0)
                    {
                        await checkpoints.WriteAsync(connection, written[^1].Sequence, written[^1].Hash, CancellationToken.None);
                    }
                }

                Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            }

            using var vaultDatabase = _vault.OpenDatabase();
            TrustedKeys = AuditVerifier.ReadSigningKeys(vaultDatabase);
        }

        /// <summary>A copy of the trail, opened read-write for tampering.</summary>
        public SqliteConnection OpenCopy()
        {
            var copy = Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db");
            File.Copy(Original, copy);
            var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
            connection.Open();
            return connection;
        }

        public async Task DisposeAsync()
        {
            if (_vault is not null)
            {
                await _vault.DisposeAsync();
            }
        }

        public void Dispose() => _directory.Dispose();
    }
}
