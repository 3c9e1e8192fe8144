using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Encryption;

/// <summary>
/// Unwrapped data keys kept in memory for a short time, so a burst of reads of one subject does not
/// unwrap the same key each time. Erasure evicts at once: a shredded key must not outlive its row.
/// </summary>
internal sealed class DataKeyCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly TimeSpan _duration;

    public DataKeyCache(IOptions<VaultOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _duration = options.Value.DataKeyCacheDuration;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.DataKeyCacheSize, Clock = new TimeProviderClock(time) });
    }

    public bool TryGet(string subjectId, string keyGroup, out DataKey? key) =>
        _cache.TryGetValue((subjectId, keyGroup), out key);

    public void Set(string subjectId, string keyGroup, DataKey key)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return;
        }

        _cache.Set((subjectId, keyGroup), key, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _duration, Size = 1 });
    }

    public void Evict(string subjectId, string keyGroup) => _cache.Remove((subjectId, keyGroup));

    public void Dispose() => _cache.Dispose();

#pragma warning disable CS0618 // ISystemClock is the clock MemoryCache accepts; it has no TimeProvider overload.
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618
}
