using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// Load benchmark of the audit trail's cost: the same consented read (GET a subject for a consented
// purpose) against the real service over loopback, once with auditing and once with it switched off
// (only possible in the Benchmark environment), at 64 concurrent connections, in one run.
// Usage: dotnet run -c Release --project bench/DataVault.Load -- [--seconds 15] [--connections 64]
var seconds = Argument("--seconds", 15);
var connections = Argument("--connections", 64);
var root = FindRepositoryRoot();
var api = Path.Combine(root, "api", "DataVault.Api", "bin", "Release", "net10.0", "DataVault.Api.dll");
if (!File.Exists(api))
{
    Console.Error.WriteLine($"Build the service first: dotnet build -c Release {Path.Combine(root, "api", "DataVault.Api")}");
    return 1;
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024)} GiB; {connections} connections, {seconds} s per run, loopback.");
var results = new List<(string Name, Result Result)>();
foreach (var (name, audited, port) in new[] { ("audit off", false, 5191), ("audit on", true, 5192), ("audit off (again)", false, 5193), ("audit on (again)", true, 5194) })
{
    results.Add((name, await RunAsync(api, audited, port, connections, TimeSpan.FromSeconds(seconds))));
}

Console.WriteLine();
Console.WriteLine("| run | requests/s | p50 ms | p99 ms | errors |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, r) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {r.Throughput:F0} | {r.P50:F2} | {r.P99:F2} | {r.Errors} |"));
}

var off = results.Where(r => r.Name.StartsWith("audit off", StringComparison.Ordinal)).Average(r => r.Result.Throughput);
var on = results.Where(r => r.Name.StartsWith("audit on", StringComparison.Ordinal)).Average(r => r.Result.Throughput);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nAudit cost: {(1 - (on / off)) * 100:F1}% of throughput (mean of the two runs each; goal: under 15%)."));
return 0;

static async Task<Result> RunAsync(string api, bool audited, int port, int connections, TimeSpan duration)
{
    var data = Directory.CreateTempSubdirectory("datavault-load-");
    try
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Benchmark",
            ["Vault__DataDirectory"] = data.FullName,
            ["Audit__Enabled"] = audited ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["TokenService__TokenRequestsPerMinute"] = "1000",
        };
        var secret = await AddClientAsync(api, environment);
        using var server = Start(api, environment, redirect: false, $"--urls=http://127.0.0.1:{port}");
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForHealthAsync(http);
            using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "load",
                ["client_secret"] = secret,
            }));
            var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            var ids = await SeedAsync(http, 500);

            await DriveAsync(http, ids, connections, TimeSpan.FromSeconds(3));
            return await DriveAsync(http, ids, connections, duration);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
    finally
    {
        data.Delete(recursive: true);
    }
}

static async Task<List<string>> SeedAsync(HttpClient http, int count)
{
    var ids = new List<string>(count);
    for (var i = 0; i < count; i++)
    {
        var created = await http.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = $"load{i}@example.com", given_name = $"Load {i}", preferred_language = "en" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await http.PostAsJsonAsync($"/api/v1/subjects/{id}/consents", new { purposeId = "marketing-email", state = "given", noticeLanguage = "en" })).EnsureSuccessStatusCode();
        ids.Add(id);
    }

    return ids;
}

static async Task<Result> DriveAsync(HttpClient http, List<string> ids, int connections, TimeSpan duration)
{
    var latencies = new List<double>[connections];
    var errors = 0;
    var stopwatch = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, connections).Select(async worker =>
    {
        var mine = latencies[worker] = new List<double>(100_000);
        var random = new Random(worker);
        while (stopwatch.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync($"/api/v1/subjects/{ids[random.Next(ids.Count)]}?purpose=marketing-email", HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }

            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    });
    await Task.WhenAll(workers);
    var elapsed = stopwatch.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static async Task<string> AddClientAsync(string api, Dictionary<string, string> environment)
{
    using var cli = Start(api, environment, redirect: true, "clients", "add", "load", "--name", "Load benchmark", "--scope", "subjects.read,subjects.write,consents.write", "--purpose", "marketing-email");
    var output = await cli.StandardOutput.ReadToEndAsync();
    await cli.WaitForExitAsync();
    return output.Split('\n').Single(l => l.StartsWith("secret:", StringComparison.Ordinal))["secret:".Length..].Trim();
}

static Process Start(string api, Dictionary<string, string> environment, bool redirect, params string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = redirect, UseShellExecute = false };
    start.ArgumentList.Add(api);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    foreach (var (key, value) in environment)
    {
        start.Environment[key] = value;
    }

    var process = Process.Start(start)!;
    return process;
}

static async Task WaitForHealthAsync(HttpClient http)
{
    for (var attempt = 0; attempt < 100; attempt++)
    {
        try
        {
            if ((await http.GetAsync("/health")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(200);
    }

    throw new InvalidOperationException("The service did not become healthy.");
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "DataVault.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("DataVault.sln not found.");
}

internal sealed record Result(double Throughput, double P50, double P99, int Errors);
