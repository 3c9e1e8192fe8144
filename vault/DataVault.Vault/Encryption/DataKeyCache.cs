using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Encryption;

/// <summary>
/// Unwrapped data keys kept in memory for a short time, so a burst of reads of one subject does not
/// unwrap the same key each time. Erasure evicts at once: a shredded key must not outlive its row.
/// </summary>
/// <remarks>
/// Most consented reads of a large vault miss (the working set is far larger than the cache), so a
/// miss must stay cheap: when the cache is full, an arbitrary tenth of it is dropped in one short
/// pass, instead of sorting every entry by last use as a size-limited MemoryCache does on each
/// compaction. Expired keys are dropped when they are next looked up.
/// </remarks>
internal sealed class DataKeyCache
{
    private readonly ConcurrentDictionary<(string SubjectId, string KeyGroup), Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly int _capacity;
    private readonly Lock _trim = new();
    private int _count;
    private long _evictions;

    public DataKeyCache(IOptions<VaultOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _duration = options.Value.DataKeyCacheDuration;
        _capacity = options.Value.DataKeyCacheSize;
    }

    /// <summary>
    /// Take it before reading a wrapped key and pass it to <see cref="Set"/>: a key read from a snapshot taken
    /// before an erasure committed, and unwrapped after the erasure evicted it, is then not cached again.
    /// </summary>
    public long EvictionStamp => Volatile.Read(ref _evictions);

    /// <summary>
    /// Caches a key read from the database, unless any key was evicted since <paramref name="evictionStamp"/>
    /// (<see cref="EvictionStamp"/>, taken before the read): a read may not put back a key an erasure has just shredded.
    /// </summary>
    public void Set(string subjectId, string keyGroup, DataKey key, long evictionStamp) => Add(subjectId, keyGroup, key, evictionStamp);

    /// <summary>
    /// Caches a key the vault writer has just committed (a new subject's, or a rectification's new group). Only the
    /// writer may call it: erasures are committed and evicted by the same writer, one after the other, so none can
    /// have shredded the key in between.
    /// </summary>
    public void SetCommitted(string subjectId, string keyGroup, DataKey key) => Add(subjectId, keyGroup, key, evictionStamp: null);

    public bool TryGet(string subjectId, string keyGroup, out DataKey? key)
    {
        if (_entries.TryGetValue((subjectId, keyGroup), out var entry))
        {
            if (entry.ExpiresAt > _time.GetUtcNow())
            {
                key = entry.Key;
                return true;
            }

            Remove((subjectId, keyGroup), entry);
        }

        key = null;
        return false;
    }

    public void Evict(string subjectId, string keyGroup)
    {
        Interlocked.Increment(ref _evictions);
        if (_entries.TryRemove((subjectId, keyGroup), out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Add(string subjectId, string keyGroup, DataKey key, long? evictionStamp)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= _capacity)
        {
            Trim();
        }

        var entry = new Entry(key, _time.GetUtcNow() + _duration);
        if (_entries.TryAdd((subjectId, keyGroup), entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[(subjectId, keyGroup)] = entry;
        }

        // Checked after adding: an eviction either happened before this check, or removes the entry after it.
        if (evictionStamp is { } stamp && Volatile.Read(ref _evictions) != stamp)
        {
            Remove((subjectId, keyGroup), entry);
        }
    }

    private void Remove((string SubjectId, string KeyGroup) id, Entry entry)
    {
        // Only this entry: a key set again meanwhile stays.
        if (_entries.TryRemove(new KeyValuePair<(string, string), Entry>(id, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Trim()
    {
        // One thread trims; the others go on (the cache may briefly hold a few more than its size).
        if (!_trim.TryEnter())
        {
            return;
        }

        try
        {
            // Enumeration order is arbitrary, so this drops about a tenth of the keys at random, which
            // for reads spread over many subjects keeps as many hits as dropping the least recently used.
            var target = _capacity - Math.Max(1, _capacity / 10);
            foreach (var (id, entry) in _entries)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    break;
                }

                Remove(id, entry);
            }
        }
        finally
        {
            _trim.Exit();
        }
    }

    private sealed record Entry(DataKey Key, DateTimeOffset ExpiresAt);
}
