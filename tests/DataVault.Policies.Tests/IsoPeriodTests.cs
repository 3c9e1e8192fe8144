namespace DataVault.Policies.Tests;

public sealed class IsoPeriodTests
{
    [Theory]
    [InlineData("P10Y", 10, 0, 0)]
    [InlineData("P6M", 0, 6, 0)]
    [InlineData("P30D", 0, 0, 30)]
    [InlineData("P1Y6M", 1, 6, 0)]
    [InlineData("P1Y2M3D", 1, 2, 3)]
    [InlineData("P1Y3D", 1, 0, 3)]
    [InlineData("P0D", 0, 0, 0)]
    [InlineData("P0Y", 0, 0, 0)]
    [InlineData("P24M", 0, 24, 0)]
    [InlineData("P2147483647D", 0, 0, int.MaxValue)]
    public void Parse_ValidDuration_ReturnsParts(string text, int years, int months, int days)
    {
        Assert.Equal(new IsoPeriod(years, months, days), IsoPeriod.Parse(text));
        Assert.True(IsoPeriod.TryParse(text, out var period));
        Assert.Equal(new IsoPeriod(years, months, days), period);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("P")]
    [InlineData("10Y")]
    [InlineData("p10y")]
    [InlineData("P10y")]
    [InlineData(" P10Y")]
    [InlineData("P10Y ")]
    [InlineData("P10Y\n")]
    [InlineData("PT1H")]
    [InlineData("P1DT1H")]
    [InlineData("P2W")]
    [InlineData("P-1Y")]
    [InlineData("P+1Y")]
    [InlineData("P1.5Y")]
    [InlineData("P1,5Y")]
    [InlineData("P6M1Y")]
    [InlineData("P1Y1Y")]
    [InlineData("P2147483648D")]
    [InlineData("P99999999999Y")]
    [InlineData("P١Y")]
    [InlineData("ten years")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(IsoPeriod.TryParse(text, out var period));
        Assert.Equal(default, period);
        Assert.Throws<FormatException>(() => IsoPeriod.Parse(text));
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(IsoPeriod.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => IsoPeriod.Parse(null!));
    }

    [Theory]
    [InlineData(10, 0, 0, "P10Y")]
    [InlineData(0, 6, 0, "P6M")]
    [InlineData(0, 0, 30, "P30D")]
    [InlineData(1, 6, 0, "P1Y6M")]
    [InlineData(1, 0, 3, "P1Y3D")]
    [InlineData(1, 2, 3, "P1Y2M3D")]
    [InlineData(0, 0, 0, "P0D")]
    public void ToString_Parts_GivesCanonicalForm(int years, int months, int days, string expected)
    {
        Assert.Equal(expected, new IsoPeriod(years, months, days).ToString());
    }

    [Theory]
    [InlineData("P0Y6M", "P6M")]
    [InlineData("P0Y0M0D", "P0D")]
    [InlineData("P010Y", "P10Y")]
    public void ToString_ParsedNonCanonical_GivesCanonicalForm(string text, string expected)
    {
        Assert.Equal(expected, IsoPeriod.Parse(text).ToString());
    }

    [Fact]
    public void Default_IsZero()
    {
        Assert.True(default(IsoPeriod).IsZero);
        Assert.Equal("P0D", default(IsoPeriod).ToString());
        Assert.False(new IsoPeriod(0, 0, 1).IsZero);
    }

    [Fact]
    public void Constructor_NegativePart_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(0, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(0, 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(1, 0, 0) with { Days = -1 });
    }

    [Theory]
    [InlineData("P10Y", "2024-03-15T10:00:00+01:00", "2034-03-15T10:00:00+01:00")]
    [InlineData("P6M", "2024-03-15T10:00:00+01:00", "2024-09-15T10:00:00+01:00")]
    [InlineData("P30D", "2024-03-15T10:00:00+01:00", "2024-04-14T10:00:00+01:00")]
    [InlineData("P1Y6M", "2024-03-15T10:00:00Z", "2025-09-15T10:00:00Z")]
    [InlineData("P1M", "2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("P1Y", "2024-02-29T12:00:00Z", "2025-02-28T12:00:00Z")]
    [InlineData("P1M1D", "2024-01-31T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("P0D", "2024-01-31T00:00:00Z", "2024-01-31T00:00:00Z")]
    public void AddTo_Instant_AddsYearsThenMonthsThenDays(string period, string start, string expected)
    {
        var result = IsoPeriod.Parse(period).AddTo(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, result.Offset);
    }

    [Fact]
    public void AddTo_BeyondYear9999_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoPeriod(10000, 0, 0).AddTo(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Equality_SameParts_Equal()
    {
        Assert.Equal(IsoPeriod.Parse("P1Y6M"), new IsoPeriod(1, 6, 0));
        Assert.NotEqual(IsoPeriod.Parse("P12M"), IsoPeriod.Parse("P1Y"));
    }
}
