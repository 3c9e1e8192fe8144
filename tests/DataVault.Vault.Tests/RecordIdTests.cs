using DataVault.Testing;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Tests;

public sealed class RecordIdTests
{
    [Fact]
    public void New_LaterInstant_IsUuidV7InCanonicalFormAndSortsAfter()
    {
        var time = new ManualTimeProvider();
        var first = RecordId.New(time);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var second = RecordId.New(time);

        // The same format as subject ids (lower-case canonical UUIDv7), ordered by the time it was minted.
        Assert.True(SubjectId.IsWellFormed(first), first);
        Assert.True(SubjectId.IsWellFormed(second), second);
        Assert.True(string.CompareOrdinal(first, second) < 0, $"{first} should sort before {second}");
    }
}
