using System.Diagnostics;

namespace DataVault.Load;

/// <summary>What one request of a scenario did: whether it succeeded, and how many items (subjects, entries) it moved.</summary>
internal readonly record struct Step(bool Succeeded, int Items = 1);

/// <summary>Throughput and latency of one scenario.</summary>
internal sealed record LoadResult(long Requests, long Items, double Seconds, double P50, double P99, long Errors)
{
    /// <summary>The service's CPU time per request in this scenario, in milliseconds (0 when not measured).</summary>
    public double CpuMsPerRequest { get; init; }

    /// <summary>The service's highest resident set during this scenario, in bytes (0 when not measured).</summary>
    public long PeakRssBytes { get; init; }

    public double RequestsPerSecond => Requests / Seconds;

    public double ItemsPerSecond => Items / Seconds;
}

/// <summary>
/// A closed-loop load generator: <c>connections</c> workers, each with one request in flight at a
/// time over a keep-alive connection, as wrk does. Latency is measured per request around the
/// whole exchange (request written, response read to the end).
/// </summary>
internal static class LoadGenerator
{
    /// <summary>Runs for <paramref name="duration"/>; <paramref name="step"/> sends one request for worker n.</summary>
    public static Task<LoadResult> RunForAsync(int connections, TimeSpan duration, Func<int, Random, Task<Step>> step) =>
        RunAsync(connections, duration, async (worker, random) => await step(worker, random));

    /// <summary>Runs until every worker's <paramref name="step"/> returns null (its share of a fixed amount of work is done).</summary>
    public static Task<LoadResult> RunUntilDoneAsync(int connections, Func<int, Random, Task<Step?>> step) =>
        RunAsync(connections, Timeout.InfiniteTimeSpan, step);

    private static async Task<LoadResult> RunAsync(int connections, TimeSpan duration, Func<int, Random, Task<Step?>> step)
    {
        var latencies = new List<double>[connections];
        long errors = 0;
        long items = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(64_000);
            var random = new Random(worker);
            while (duration == Timeout.InfiniteTimeSpan || stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                Step? outcome;
                try
                {
                    outcome = await step(worker, random);
                }
                catch (HttpRequestException)
                {
                    outcome = new Step(false, 0);
                }

                if (outcome is not { } done)
                {
                    break;
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (done.Succeeded)
                {
                    Interlocked.Add(ref items, done.Items);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, items, elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
