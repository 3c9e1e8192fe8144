using System.Globalization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// The geometry of a server-rendered line chart (an inline SVG, so no script and no asset from
/// elsewhere): one or more series of a value per instant, scaled into a fixed view box with a zero
/// baseline and one vertical scale for all.
/// </summary>
internal sealed class TrendChart
{
    public const int Width = 640;
    public const int Height = 220;
    public const int Left = 48;
    public const int Right = 16;
    public const int Top = 16;
    public const int Bottom = 36;

    /// <param name="at">The instants, oldest first.</param>
    /// <param name="series">The values of each series, one per instant.</param>
    public TrendChart(IReadOnlyList<DateTimeOffset> at, params IReadOnlyList<int>[] series)
    {
        ArgumentNullException.ThrowIfNull(at);
        ArgumentNullException.ThrowIfNull(series);
        if (at.Count == 0 || series.Any(s => s.Count != at.Count))
        {
            throw new ArgumentException("Every series has one value per instant, and there is at least one instant.", nameof(series));
        }

        At = at;
        Series = series;
        Max = Math.Max(1, series.Max(s => s.Max()));
    }

    public IReadOnlyList<DateTimeOffset> At { get; }

    public IReadOnlyList<IReadOnlyList<int>> Series { get; }

    /// <summary>The value at the top of the vertical axis.</summary>
    public int Max { get; }

    public static int Baseline => Height - Bottom;

    public static int PlotRight => Width - Right;

    /// <summary>The <c>points</c> attribute of the polyline of series <paramref name="series"/>.</summary>
    public string Polyline(int series) => string.Join(' ', At.Select((_, i) => $"{Format(X(i))},{Format(Y(series, i))}"));

    public double X(int index) => At.Count <= 1 ? Left : Left + (index * (double)(PlotRight - Left) / (At.Count - 1));

    public double Y(int series, int index) => Baseline - (Series[series][index] * (double)(Baseline - Top) / Max);

    public static string Format(double coordinate) => coordinate.ToString("0.##", CultureInfo.InvariantCulture);
}
