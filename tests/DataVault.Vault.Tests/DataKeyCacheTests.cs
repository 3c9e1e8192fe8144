using DataVault.Testing;
using DataVault.Vault.Encryption;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Tests;

public sealed class DataKeyCacheTests
{
    [Fact]
    public void TryGet_WithinTheDuration_ReturnsTheKeyAndAfterItNothing()
    {
        var time = new ManualTimeProvider();
        var cache = Cache(time, TimeSpan.FromMinutes(1), size: 10);
        var key = DataKey.Generate();
        cache.SetCommitted("s1", "standard", key);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.TryGet("s1", "standard", out var found));
        Assert.Same(key, found);
        Assert.False(cache.TryGet("s1", "legal-hold", out _));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("s1", "standard", out _));
    }

    [Fact]
    public void Evict_RemovesTheKeyAtOnce()
    {
        var cache = Cache(new ManualTimeProvider(), TimeSpan.FromMinutes(1), size: 10);
        cache.SetCommitted("s1", "standard", DataKey.Generate());
        cache.SetCommitted("s1", "legal-hold", DataKey.Generate());

        cache.Evict("s1", "standard");

        Assert.False(cache.TryGet("s1", "standard", out _));
        Assert.True(cache.TryGet("s1", "legal-hold", out _));
    }

    [Fact]
    public void Set_OfAKeyReadBeforeAnEviction_DoesNotCacheItAgain()
    {
        var cache = Cache(new ManualTimeProvider(), TimeSpan.FromMinutes(1), size: 10);
        var stamp = cache.EvictionStamp;

        // An erasure commits and evicts while a read that took its snapshot before is still unwrapping.
        cache.Evict("s1", "standard");
        cache.Set("s1", "standard", DataKey.Generate(), stamp);
        Assert.False(cache.TryGet("s1", "standard", out _));

        cache.Set("s1", "standard", DataKey.Generate(), cache.EvictionStamp);
        Assert.True(cache.TryGet("s1", "standard", out _));
    }

    [Fact]
    public void Set_BeyondTheSize_KeepsAtMostTheSize()
    {
        var cache = Cache(new ManualTimeProvider(), TimeSpan.FromMinutes(1), size: 100);
        for (var i = 0; i < 1000; i++)
        {
            cache.SetCommitted($"s{i}", "standard", DataKey.Generate());
        }

        var held = Enumerable.Range(0, 1000).Count(i => cache.TryGet($"s{i}", "standard", out _));
        Assert.InRange(held, 1, 100);
        Assert.True(cache.TryGet("s999", "standard", out _));
    }

    [Fact]
    public void Set_WithZeroDuration_CachesNothing()
    {
        var cache = Cache(new ManualTimeProvider(), TimeSpan.Zero, size: 10);
        cache.SetCommitted("s1", "standard", DataKey.Generate());

        Assert.False(cache.TryGet("s1", "standard", out _));
    }

    private static DataKeyCache Cache(TimeProvider time, TimeSpan duration, int size) =>
        new(Options.Create(new VaultOptions { DataKeyCacheDuration = duration, DataKeyCacheSize = size }), time);
}
