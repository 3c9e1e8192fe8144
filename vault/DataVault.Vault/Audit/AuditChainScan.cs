using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DataVault.Vault.Audit;

/// <summary>What is wrong with the entry at a sequence number.</summary>
internal enum AuditFault
{
    None,

    /// <summary>The entry at this sequence number is missing.</summary>
    Missing,

    /// <summary>An entry with a lower sequence number comes here.</summary>
    OutOfOrder,

    /// <summary>The entry's previous hash is not the hash of the entry before it.</summary>
    Unlinked,

    /// <summary>The entry's stored hash is not the hash of its stored values.</summary>
    Changed,

    /// <summary>The entry's hash is not the one a checkpoint recorded for this sequence number.</summary>
    CheckpointDiffers,
}

/// <summary>
/// The code the verifier reads and hashes entries with. Both paths find the same faults; the native
/// one is faster, the managed one needs neither native shortcut, so another SQLite bundle or a
/// machine without OpenSSL 3 makes verification slower, never broken.
/// </summary>
public enum AuditScanPath
{
    /// <summary>
    /// Rows read straight from <c>e_sqlite3</c> and SHA-256 through OpenSSL 3, each where that library is
    /// the one in use; the managed path's part where it is not.
    /// </summary>
    Native,

    /// <summary>Rows read through SQLitePCLRaw's provider (whatever SQLite bundle it uses) and SHA-256 through .NET.</summary>
    Managed,
}

/// <summary>
/// Checks every entry of the chain and finds the first fault. The trail is cut into segments of
/// <see cref="SegmentEntries"/> sequence numbers; each segment is read and hashed on its own (on as
/// many threads as the machine has cores, each with its own read-only connection), because every
/// entry stores the previous hash it was chained to. The segments are then joined in order: a
/// segment's first entry must link to the hash the segment before ended with. The fault reported is
/// the one a single pass over the entries in sequence order meets first.
/// </summary>
internal sealed class AuditChainScan : IDisposable
{
    /// <summary>Sequence numbers per segment.</summary>
    public const int SegmentEntries = 4096;

    // Each reading thread hashes a few hundred thousand entries a second; more than this would only
    // take cores from requests when an officer verifies from the portal.
    private const int MaxThreads = 8;

    private readonly SqliteConnection _connection;
    private readonly IReadOnlyDictionary<long, AuditCheckpoint> _checkpoints;
    private readonly AuditScanPath _path;
    private readonly SegmentPlan _plan;
    private readonly ExceptionDispatchInfo? _failed;
    private readonly List<SegmentReader> _readers = [];
    private readonly List<Thread> _threads = [];
    private readonly SegmentQueue? _queue;

    private AuditChainScan(SqliteConnection connection, IReadOnlyDictionary<long, AuditCheckpoint> checkpoints, AuditScanPath path)
    {
        _connection = connection;
        _checkpoints = checkpoints;
        _path = path;
        long? head;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(sequence) FROM audit_entries;";
            head = command.ExecuteScalar() as long?;
        }
        catch (SqliteException exception)
        {
            // Raised by Join, so that what the caller checks meanwhile (checkpoints) is reported first.
            _failed = ExceptionDispatchInfo.Capture(exception);
            return;
        }

        _plan = new SegmentPlan(head);
        var workers = (int)Math.Min(Math.Min(Environment.ProcessorCount, MaxThreads), _plan.Count);
        var file = raw.sqlite3_db_filename(connection.Handle!, "main").utf8_to_string();
        if (workers < 2 || string.IsNullOrEmpty(file) || !TryOpenReaders(file, workers, connection.DefaultTimeout))
        {
            return;
        }

        _queue = new SegmentQueue(_plan, window: 2 * workers);
        foreach (var reader in _readers)
        {
            var thread = new Thread(() => _queue.Work(reader)) { IsBackground = true, Name = "Audit verification" };
            thread.Start();
            _threads.Add(thread);
        }
    }

    /// <summary>
    /// Starts reading the chain up to its head now (entries appended meanwhile are left for the next
    /// verification). On a single core, or a database that is not a file, the reading happens in <see cref="Join"/>.
    /// </summary>
    /// <param name="connection">The audit database.</param>
    /// <param name="checkpoints">The hash recorded for a sequence number by a checkpoint.</param>
    /// <param name="path">The code that reads and hashes the entries.</param>
    public static AuditChainScan Start(SqliteConnection connection, IReadOnlyDictionary<long, AuditCheckpoint> checkpoints, AuditScanPath path)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(checkpoints);
        return new AuditChainScan(connection, checkpoints, path);
    }

    /// <summary>Waits for the segments and joins them in order.</summary>
    /// <returns>The first fault and its sequence number, or <see cref="AuditFault.None"/> and the sequence number after the last entry.</returns>
    public (AuditFault Fault, long At) Join()
    {
        _failed?.Throw();
        if (_queue is null)
        {
            using var reader = new SegmentReader(_connection.Handle!, _checkpoints, _path);
            return JoinInOrder(index =>
            {
                var segment = _plan.Segment(index);
                reader.Read(segment);
                return segment;
            });
        }

        return JoinInOrder(_queue.Take);
    }

    public void Dispose()
    {
        _queue?.Stop();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var reader in _readers)
        {
            reader.Dispose();
        }
    }

    private (AuditFault Fault, long At) JoinInOrder(Func<long, Segment> take)
    {
        var previous = AuditChain.Genesis;
        long next = 1;
        for (long index = 0; index < _plan.Count; index++)
        {
            var segment = take(index);
            segment.Error?.Throw();
            if (segment.StartsInPlace && !(segment.FirstPrevious is { } first && first.AsSpan().SequenceEqual(previous)))
            {
                return (AuditFault.Unlinked, segment.Start);
            }

            if (segment.Fault != AuditFault.None)
            {
                return (segment.Fault, segment.Next);
            }

            if (segment.Next != segment.Start)
            {
                previous = segment.LastHash;
            }

            next = segment.Next;

            // A segment before the last ends below the head, so a later entry exists: this one is missing.
            if (!segment.IsLast && next != segment.High + 1)
            {
                return (AuditFault.Missing, next);
            }
        }

        return (AuditFault.None, next);
    }

    /// <summary>Opens a read-only connection and a reader per thread; false (and none) if the file cannot be opened again.</summary>
    private bool TryOpenReaders(string file, int count, int timeoutSeconds)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                // NOMUTEX: each connection is used by one thread at a time, so SQLite need not lock it on every call.
                var database = OpenReadOnly(file, timeoutSeconds);
                try
                {
                    _readers.Add(new SegmentReader(database, _checkpoints, _path, ownsDatabase: true));
                }
                catch (SqliteException)
                {
                    database.Dispose();
                    throw;
                }
            }

            return true;
        }
        catch (SqliteException)
        {
            // The file was moved or deleted since the caller opened it: read through the caller's connection.
            foreach (var reader in _readers)
            {
                reader.Dispose();
            }

            _readers.Clear();
            return false;
        }
    }

    private static sqlite3 OpenReadOnly(string file, int timeoutSeconds)
    {
        var result = raw.sqlite3_open_v2(file, out var database, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
        if (result == raw.SQLITE_OK)
        {
            // Rows are stepped without Microsoft.Data.Sqlite's retry loop: SQLite waits for a busy database itself.
            result = raw.sqlite3_busy_timeout(database, timeoutSeconds * 1000);
        }

        if (result == raw.SQLITE_OK)
        {
            // A scan reads each page once: a small page cache (512 KiB instead of 2 MiB) keeps the service's memory down.
            result = raw.sqlite3_exec(database, "PRAGMA cache_size = -512;");
        }

        if (result != raw.SQLITE_OK)
        {
            using (database)
            {
                SqliteException.ThrowExceptionForRC(result, database);
            }
        }

        return database;
    }

    /// <summary>The segments of a chain whose highest sequence number is <c>head</c> (null: no entries).</summary>
    private readonly struct SegmentPlan(long? head)
    {
        /// <summary>Segments to read: the first starts below 1, so an entry numbered 0 or less is met first, as in sequence order.</summary>
        public long Count { get; } = head switch
        {
            null => 0,
            < 1 => 1,
            { } last => ((last - 1) / SegmentEntries) + 1,
        };

        public Segment Segment(long index)
        {
            var start = 1 + (index * SegmentEntries);
            var isLast = index == Count - 1;
            return new Segment(start, index == 0 ? long.MinValue : start, isLast ? head!.Value : start + SegmentEntries - 1, isLast);
        }
    }

    /// <summary>
    /// The entries from <see cref="Low"/> to <see cref="High"/>, checked on their own as if the chain
    /// before them were sound and ended at <see cref="Start"/> - 1.
    /// </summary>
    private sealed class Segment(long start, long low, long high, bool isLast)
    {
        public long Start { get; } = start;

        public long Low { get; } = low;

        public long High { get; } = high;

        public bool IsLast { get; } = isLast;

        /// <summary>The first fault inside the segment, if any.</summary>
        public AuditFault Fault { get; set; }

        /// <summary>Where the fault is; without one, the sequence number after the segment's last entry.</summary>
        public long Next { get; set; }

        /// <summary>The segment's first entry is numbered <see cref="Start"/>, so it must link to the segment before.</summary>
        public bool StartsInPlace { get; set; }

        /// <summary>The previous hash the first entry stores, when it is a hash (a 32-byte blob).</summary>
        public byte[]? FirstPrevious { get; set; }

        /// <summary>The hash of the segment's last entry.</summary>
        public byte[] LastHash { get; } = new byte[AuditChain.HashSize];

        /// <summary>Reading the segment failed: raised when the join reaches it, after any fault before it.</summary>
        public ExceptionDispatchInfo? Error { get; set; }
    }

    /// <summary>Hands segments to the reading threads, and their results to the join in order, at most a window ahead of it.</summary>
    private sealed class SegmentQueue(SegmentPlan plan, int window)
    {
        private readonly object _gate = new();
        private readonly Segment?[] _done = new Segment?[window];
        private long _nextToRead;
        private long _nextToJoin;
        private bool _stopped;

        public void Work(SegmentReader reader)
        {
            while (true)
            {
                long index;
                lock (_gate)
                {
                    while (!_stopped && _nextToRead < plan.Count && _nextToRead >= _nextToJoin + window)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_stopped || _nextToRead >= plan.Count)
                    {
                        return;
                    }

                    index = _nextToRead++;
                }

                var segment = plan.Segment(index);
                reader.Read(segment);
                lock (_gate)
                {
                    _done[index % window] = segment;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        public Segment Take(long index)
        {
            lock (_gate)
            {
                Segment? segment;
                while ((segment = _done[index % window]) is null)
                {
                    Monitor.Wait(_gate);
                }

                _done[index % window] = null;
                _nextToJoin = index + 1;
                Monitor.PulseAll(_gate);
                return segment;
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopped = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Reads a segment's rows from SQLite and hashes the bytes stored: a text column is hashed as the
    /// UTF-8 SQLite holds, so bytes other than the ones the writer hashed, a value of another type, or
    /// a null where the schema allows none make the entry "changed".
    /// </summary>
    private sealed class SegmentReader : IDisposable
    {
        private const string Sql = $"""
            SELECT sequence, {AuditChain.CanonicalColumns}, previous_hash, hash, {AuditChain.PersonColumn}, {AuditChain.RequestColumn}
            FROM audit_entries WHERE sequence BETWEEN ?1 AND ?2 ORDER BY sequence;
            """;

        private const int PreviousHashColumn = AuditCanonicalForm.FieldCount + 1;
        private const int HashColumn = AuditCanonicalForm.FieldCount + 2;
        private const int PersonColumn = AuditCanonicalForm.FieldCount + 3;
        private const int RequestColumn = AuditCanonicalForm.FieldCount + 4;

        // subject_id, purpose_id, fields, withheld and trace_id may be null (columns 5 to 8 and 10).
        private const int NullableColumns = (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10);

        private readonly sqlite3 _database;
        private readonly bool _ownsDatabase;
        private readonly sqlite3_stmt _statement;
        private readonly IRow _row;
        private readonly IReadOnlyDictionary<long, AuditCheckpoint> _checkpoints;
        private readonly AuditCanonicalForm _form;
        private readonly byte[] _stored = new byte[AuditChain.HashSize];

        public SegmentReader(sqlite3 database, IReadOnlyDictionary<long, AuditCheckpoint> checkpoints, AuditScanPath path, bool ownsDatabase = false)
        {
            _database = database;
            _ownsDatabase = ownsDatabase;
            _checkpoints = checkpoints;
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(database, Sql, out _statement), database);
            var added = false;
            _statement.DangerousAddRef(ref added);
            _row = path == AuditScanPath.Native && NativeRow.Usable
                ? new NativeRow(_statement.DangerousGetHandle(), database)
                : new ProviderRow(_statement, database);
            _form = new AuditCanonicalForm(useOpenSsl: path == AuditScanPath.Native);
        }

        public void Read(Segment segment)
        {
            try
            {
                Scan(segment);
            }
            catch (Exception exception)
            {
                // Whatever failed is raised on the verifying thread when the join reaches this segment,
                // so a fault before it is still reported first, and no reading thread dies of it.
                segment.Error = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public void Dispose()
        {
            _statement.DangerousRelease();
            _statement.Dispose();
            _form.Dispose();
            if (_ownsDatabase)
            {
                _database.Dispose();
            }
        }

        private void Scan(Segment segment)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, 1, segment.Low), _database);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, 2, segment.High), _database);
            Span<byte> hash = stackalloc byte[AuditChain.HashSize];
            var expected = segment.Start;
            int result;
            while ((result = _row.Step()) == raw.SQLITE_ROW)
            {
                var sequence = _row.Int64(0);
                if (sequence != expected)
                {
                    segment.Fault = sequence > expected ? AuditFault.Missing : AuditFault.OutOfOrder;
                    segment.Next = expected;
                    return;
                }

                var previousIsHash = TryReadHash(PreviousHashColumn);
                if (sequence == segment.Start)
                {
                    segment.StartsInPlace = true;
                    segment.FirstPrevious = previousIsHash ? (byte[])_stored.Clone() : null;
                }
                else if (!previousIsHash || !_stored.AsSpan().SequenceEqual(segment.LastHash))
                {
                    segment.Fault = AuditFault.Unlinked;
                    segment.Next = sequence;
                    return;
                }

                if (!TryHash(sequence, previousIsHash ? _stored : AuditChain.Genesis, hash) || !TryReadHash(HashColumn) || !hash.SequenceEqual(_stored))
                {
                    segment.Fault = AuditFault.Changed;
                    segment.Next = sequence;
                    return;
                }

                if (_checkpoints.TryGetValue(sequence, out var checkpoint) && !hash.SequenceEqual(checkpoint.Hash))
                {
                    segment.Fault = AuditFault.CheckpointDiffers;
                    segment.Next = sequence;
                    return;
                }

                hash.CopyTo(segment.LastHash);
                expected++;
            }

            if (result != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(result, _database);
            }

            segment.Next = expected;
        }

        /// <summary>
        /// Hashes the row's stored values (format 2 when it names a person, format 3 when it names a request); false when
        /// one is not text, or is a null the schema forbids.
        /// </summary>
        private bool TryHash(long sequence, ReadOnlySpan<byte> previous, Span<byte> hash)
        {
            _form.Begin(sequence);
            for (var column = 1; column <= AuditCanonicalForm.FieldCount; column++)
            {
                switch (_row.Type(column))
                {
                    case raw.SQLITE_TEXT:
                        _row.AddText(_form, column);
                        break;
                    case raw.SQLITE_NULL when (NullableColumns & (1 << column)) != 0:
                        _form.AddNull();
                        break;
                    default:
                        return false;
                }
            }

            var request = _row.Type(RequestColumn);
            if (request is not (raw.SQLITE_TEXT or raw.SQLITE_NULL))
            {
                return false;
            }

            switch (_row.Type(PersonColumn))
            {
                case raw.SQLITE_TEXT:
                    _row.AddText(_form, PersonColumn);
                    break;
                case raw.SQLITE_NULL when request == raw.SQLITE_TEXT:
                    _form.AddNull();
                    break;
                case raw.SQLITE_NULL:
                    break;
                default:
                    return false;
            }

            if (request == raw.SQLITE_TEXT)
            {
                _row.AddText(_form, RequestColumn);
            }

            _form.Hash(previous, hash);
            return true;
        }

        /// <summary>Copies the row's value in <paramref name="column"/> to <see cref="_stored"/> if it is a hash: a 32-byte blob.</summary>
        private bool TryReadHash(int column) => _row.Type(column) == raw.SQLITE_BLOB && _row.TryCopyBlob(column, _stored);
    }

    /// <summary>The values of the current row of a reader's statement.</summary>
    private interface IRow
    {
        int Step();

        int Type(int column);

        long Int64(int column);

        /// <summary>Adds the text in <paramref name="column"/> to <paramref name="form"/>, as the UTF-8 bytes SQLite holds.</summary>
        void AddText(AuditCanonicalForm form, int column);

        /// <summary>Copies the blob in <paramref name="column"/> to <paramref name="destination"/> if it is exactly as long; false otherwise.</summary>
        bool TryCopyBlob(int column, byte[] destination);
    }

    /// <summary>
    /// The calls made for every row, bound to the native SQLite library SQLitePCLRaw uses
    /// (<c>e_sqlite3</c>, from SQLitePCLRaw.bundle_e_sqlite3), on the statement's raw pointer:
    /// marshalling the statement's SafeHandle on each of the ~40 calls per row cost as much as
    /// SQLite's own work.
    /// </summary>
    private sealed class NativeRow(nint statement, sqlite3 database) : IRow
    {
        private const string Library = "e_sqlite3";

        /// <summary>
        /// Whether these calls reach the library that prepares the statements: with another bundle
        /// (another library, or none named e_sqlite3) the scan reads through <see cref="ProviderRow"/>.
        /// </summary>
        public static bool Usable { get; } = IsLibraryInUse();

        public int Step() => Step(statement);

        public int Type(int column) => Type(statement, column);

        public long Int64(int column) => Int64(statement, column);

        public void AddText(AuditCanonicalForm form, int column)
        {
            var text = Text(statement, column);
            if (text == 0)
            {
                SqliteException.ThrowExceptionForRC(raw.SQLITE_NOMEM, database);
            }

            form.Add(text, Bytes(statement, column));
        }

        public bool TryCopyBlob(int column, byte[] destination)
        {
            var blob = Blob(statement, column);
            if (Bytes(statement, column) != destination.Length)
            {
                return false;
            }

            Marshal.Copy(blob, destination, 0, destination.Length);
            return true;
        }

        private static bool IsLibraryInUse()
        {
            try
            {
                return raw.GetNativeLibraryName() == Library && LibraryVersion() == raw.sqlite3_libversion_number();
            }
            catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
            {
                // SQLitePCLRaw found its library where this assembly's own lookup does not (another deployment layout).
                return false;
            }
        }

        [DllImport(Library, EntryPoint = "sqlite3_libversion_number")]
        private static extern int LibraryVersion();

        [DllImport(Library, EntryPoint = "sqlite3_step")]
        private static extern int Step(nint statement);

        [DllImport(Library, EntryPoint = "sqlite3_column_type")]
        private static extern int Type(nint statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_int64")]
        private static extern long Int64(nint statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_text")]
        private static extern nint Text(nint statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_blob")]
        private static extern nint Blob(nint statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_bytes")]
        private static extern int Bytes(nint statement, int column);
    }

    /// <summary>The same calls through SQLitePCLRaw's provider: whatever SQLite bundle Microsoft.Data.Sqlite runs on.</summary>
    private sealed class ProviderRow(sqlite3_stmt statement, sqlite3 database) : IRow
    {
        public int Step() => raw.sqlite3_step(statement);

        public int Type(int column) => raw.sqlite3_column_type(statement, column);

        public long Int64(int column) => raw.sqlite3_column_int64(statement, column);

        public void AddText(AuditCanonicalForm form, int column)
        {
            // sqlite3_column_blob hands a text value's bytes over unconverted, with their length (a NUL
            // inside included), which the provider's sqlite3_column_text does not expose.
            var text = raw.sqlite3_column_blob(statement, column);
            if (text.IsEmpty && raw.sqlite3_column_bytes(statement, column) != 0)
            {
                SqliteException.ThrowExceptionForRC(raw.SQLITE_NOMEM, database);
            }

            form.Add(text);
        }

        public bool TryCopyBlob(int column, byte[] destination)
        {
            var blob = raw.sqlite3_column_blob(statement, column);
            if (blob.Length != destination.Length)
            {
                return false;
            }

            blob.CopyTo(destination);
            return true;
        }
    }
}
