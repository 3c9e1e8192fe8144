using System.Globalization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// The geometry of a server-rendered line chart (an inline SVG, so no script and no asset from
/// elsewhere): a value per instant, scaled into a fixed view box with a zero baseline.
/// </summary>
internal sealed class TrendChart
{
    public const int Width = 640;
    public const int Height = 220;
    public const int Left = 48;
    public const int Right = 16;
    public const int Top = 16;
    public const int Bottom = 36;

    public TrendChart(IReadOnlyList<(DateTimeOffset At, int Value)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = points;
        Max = Math.Max(1, points.Count == 0 ? 0 : points.Max(p => p.Value));
    }

    public IReadOnlyList<(DateTimeOffset At, int Value)> Points { get; }

    /// <summary>The value at the top of the vertical axis.</summary>
    public int Max { get; }

    public static int Baseline => Height - Bottom;

    public static int PlotRight => Width - Right;

    /// <summary>The <c>points</c> attribute of the polyline.</summary>
    public string Polyline => string.Join(' ', Points.Select((_, i) => $"{Format(X(i))},{Format(Y(i))}"));

    public double X(int index) => Points.Count <= 1 ? Left : Left + (index * (double)(PlotRight - Left) / (Points.Count - 1));

    public double Y(int index) => Baseline - (Points[index].Value * (double)(Baseline - Top) / Max);

    public static string Format(double coordinate) => coordinate.ToString("0.##", CultureInfo.InvariantCulture);
}
