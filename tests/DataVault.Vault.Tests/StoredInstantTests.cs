using DataVault.Vault.Storage;

namespace DataVault.Vault.Tests;

public sealed class StoredInstantTests
{
    [Fact]
    public void Format_InstantWithAnOffset_IsFixedWidthUtcText()
    {
        // The audit chain hashes this text and SQL compares it as text: it must never change.
        var instant = new DateTimeOffset(2026, 1, 31, 10, 30, 0, TimeSpan.FromHours(1)).AddTicks(1);

        Assert.Equal("2026-01-31T09:30:00.0000001Z", StoredInstant.Format(instant));
    }

    [Fact]
    public void Parse_FormattedInstant_ReturnsTheSameInstantInUtc()
    {
        var instant = new DateTimeOffset(2026, 11, 23, 23, 59, 59, TimeSpan.FromHours(-5)).AddTicks(1234567);

        var parsed = StoredInstant.Parse(StoredInstant.Format(instant));

        Assert.Equal(instant, parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Fact]
    public void Format_InstantsInTimeOrder_AreInTextOrder()
    {
        DateTimeOffset[] instants =
        [
            new(1999, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1),
            new(2026, 1, 1, 0, 0, 1, TimeSpan.Zero),
            new(2026, 1, 1, 2, 0, 0, TimeSpan.FromHours(-1)),
            new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero),
        ];

        var texts = instants.Select(StoredInstant.Format).ToList();

        Assert.Equal(texts.Order(StringComparer.Ordinal), texts);
    }
}
