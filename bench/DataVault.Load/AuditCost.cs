using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataVault.Load;

/// <summary>
/// What the audit trail costs: the same consented read with auditing switched off and on (only
/// possible in the <c>Benchmark</c> environment), interleaved off, on, off, on, over fresh data
/// directories with 500 subjects created through the API.
/// </summary>
internal static class AuditCost
{
    public static async Task<int> RunAsync(string api, int seconds, int connections)
    {
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024)} GiB; {connections} connections, {seconds} s per run, loopback.");
        var results = new List<(string Name, LoadResult Result)>();
        foreach (var (name, audited, port) in new[] { ("audit off", false, 5191), ("audit on", true, 5192), ("audit off (again)", false, 5193), ("audit on (again)", true, 5194) })
        {
            results.Add((name, await RunOnceAsync(api, audited, port, connections, TimeSpan.FromSeconds(seconds))));
        }

        Console.WriteLine();
        Console.WriteLine("| run | requests/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, r) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {r.RequestsPerSecond:F0} | {r.P50:F2} | {r.P99:F2} | {r.Errors} |"));
        }

        var off = results.Where(r => r.Name.StartsWith("audit off", StringComparison.Ordinal)).Average(r => r.Result.RequestsPerSecond);
        var on = results.Where(r => r.Name.StartsWith("audit on", StringComparison.Ordinal)).Average(r => r.Result.RequestsPerSecond);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nAudit cost: {(1 - (on / off)) * 100:F1}% of throughput (mean of the two runs each; goal: under 15%)."));
        return 0;
    }

    private static async Task<LoadResult> RunOnceAsync(string api, bool audited, int port, int connections, TimeSpan duration)
    {
        var data = Directory.CreateTempSubdirectory("datavault-load-");
        try
        {
            var environment = ServiceProcess.Environment(data.FullName, audited);
            var secret = await ServiceProcess.AddClientAsync(api, environment, "load", "subjects.read,subjects.write,consents.write", Seeder.ReadPurpose);
            await using var service = await ServiceProcess.StartAsync(api, environment, port);
            using var http = await service.CreateClientAsync(connections, "load", secret);
            var ids = await SeedAsync(http, 500);
            await Read(http, ids, connections, TimeSpan.FromSeconds(3));
            return await Read(http, ids, connections, duration);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static Task<LoadResult> Read(HttpClient http, List<string> ids, int connections, TimeSpan duration) =>
        LoadGenerator.RunForAsync(connections, duration, async (_, random) =>
        {
            using var response = await http.GetAsync($"/api/v1/subjects/{ids[random.Next(ids.Count)]}?purpose={Seeder.ReadPurpose}");
            await response.Content.LoadIntoBufferAsync();
            return new Step(response.IsSuccessStatusCode);
        });

    private static async Task<List<string>> SeedAsync(HttpClient http, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var created = await http.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = $"load{i}@example.com", given_name = $"Load {i}", preferred_language = "en" } });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            using var consent = await http.PostAsJsonAsync($"/api/v1/subjects/{id}/consents", new { purposeId = Seeder.ReadPurpose, state = "given", noticeLanguage = "en" });
            consent.EnsureSuccessStatusCode();
            ids.Add(id);
        }

        return ids;
    }
}
