using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Audit;
using Microsoft.Data.Sqlite;

namespace DataVault.Load;

internal sealed record SuiteOptions(int Subjects, int Seconds, int Connections, int Erasures, int LargeSubjects, string ResultsDirectory);

/// <summary>One line of the results table.</summary>
internal sealed record Row(string Scenario, string ItemUnit, LoadResult Result, bool HttpScenario = true);

/// <summary>
/// The benchmark suite: seeds a fresh vault, starts the service (Release, <c>Benchmark</c> environment,
/// auditing on), drives each scenario from <see cref="SuiteOptions.Connections"/> connections over
/// loopback, verifies the resulting audit trail offline, and prints and saves a table with each
/// scenario's ratio to the baseline and whether the targets of the performance issue hold.
/// </summary>
internal static class Suite
{
    private const string ClientId = "bench";
    private const string Scopes = "subjects.read,subjects.write,consents.write,subjects.erase";
    // Every purpose whose fields the write scenario creates (the billing fields belong to invoicing only): a client
    // may write only the fields of its purposes.
    private const string Purposes = "marketing-email,analytics,personalisation,partner-sharing,service-delivery,legal-obligation-invoicing";

    public static async Task<int> RunAsync(string root, string api, SuiteOptions options)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        void Say(string line)
        {
            Console.WriteLine(line);
            output.WriteLine(line);
        }

        var started = DateTimeOffset.UtcNow;
        var catalogue = Path.Combine(root, "policies", "catalogue");
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var warmUp = TimeSpan.FromSeconds(Math.Max(2, options.Seconds / 5));
        var rows = new List<Row>();
        long peakRss;

        Console.WriteLine(Machine(root, options));
        var data = Directory.CreateTempSubdirectory("datavault-bench-");
        try
        {
            Console.WriteLine($"Seeding {options.Subjects:N0} subjects into {data.FullName} ...");
            var seedClock = Stopwatch.StartNew();
            Dictionary<string, List<string>> ids;
            await using (var seeder = await Seeder.CreateAsync(data.FullName, catalogue))
            {
                ids = seeder.Seed(
                    [
                        new SeedSet("subjects", options.Subjects, 1),
                        new SeedSet("erase-10", options.Erasures + options.Connections, 1),
                        new SeedSet("erase-1000", options.Erasures, 100),
                    ],
                    Console.Out);
            }

            var seedSeconds = seedClock.Elapsed.TotalSeconds;
            var environment = ServiceProcess.Environment(data.FullName);
            var secret = await ServiceProcess.AddClientAsync(api, environment, ClientId, Scopes, Purposes);
            await using (var service = await ServiceProcess.StartAsync(api, environment, FreePort()))
            {
                using var http = await service.CreateClientAsync(options.Connections, ClientId, secret);
                using var anonymous = service.CreateClient(options.Connections);
                var subjects = ids["subjects"];

                async Task Measure(string name, string unit, Func<int, Random, Task<Step>> step)
                {
                    Console.WriteLine($"Scenario: {name} ({warmUp.TotalSeconds:F0} s warm-up, {duration.TotalSeconds:F0} s measured)");
                    await LoadGenerator.RunForAsync(options.Connections, warmUp, step);
                    rows.Add(new Row(name, unit, await Observed(service, () => LoadGenerator.RunForAsync(options.Connections, duration, step))));
                    Console.WriteLine(Line(rows[^1], rows[0].Result));
                }

                await Measure("1. baseline (trivial JSON)", "-", (_, _) => Send(anonymous, HttpMethod.Get, "/benchmark/baseline"));
                await Measure("2. consented read", "-", (_, random) => ConsentedRead(http, subjects, random));
                var written = 0;
                await Measure("3. write: create subject, 10 fields", "subjects", (_, _) =>
                    Send(http, HttpMethod.Post, "/api/v1/subjects", NewSubjectBody(Interlocked.Increment(ref written))));
                await Measure("4. record consent event", "events", (_, random) =>
                    Send(http, HttpMethod.Post, $"/api/v1/subjects/{subjects[random.Next(subjects.Count)]}/consents", ConsentBody));

                Console.WriteLine("Scenario: erase (warm-up on separate subjects, then each subject once)");
                await Erase(http, options.Connections, ids["erase-10"].Take(options.Connections));
                rows.Add(new Row("5a. erase, 10 field versions", "subjects", await Observed(service, () => Erase(http, options.Connections, ids["erase-10"].Skip(options.Connections)))));
                Console.WriteLine(Line(rows[^1], rows[0].Result));
                rows.Add(new Row("5b. erase, 1,000 field versions", "subjects", await Observed(service, () => Erase(http, options.Connections, ids["erase-1000"]))));
                Console.WriteLine(Line(rows[^1], rows[0].Result));

                var cursors = new string?[options.Connections];
                await Measure("6. purpose export (100 per page)", "subjects", (worker, random) => ExportPage(http, subjects, cursors, worker, random));
                peakRss = service.PeakRssBytes;
            }

            Console.WriteLine("Scenario: audit verification (offline, the trail this run wrote)");
            rows.Add(new Row("7. audit verification (offline)", "entries", VerifyAudit(data.FullName), HttpScenario: false));
            Console.WriteLine(Line(rows[^1], rows[0].Result));

            if (options.LargeSubjects > 0)
            {
                var (large, largeRss) = await LargeReadAsync(api, catalogue, options, duration, warmUp);
                rows.Add(large);
                peakRss = Math.Max(peakRss, largeRss);
                Console.WriteLine(Line(rows[^1], rows[0].Result));
            }

            Say(string.Empty);
            Say($"## DataVault benchmark suite, {started:yyyy-MM-dd HH:mm} UTC");
            Say(string.Empty);
            Say(Machine(root, options));
            Say(string.Create(CultureInfo.InvariantCulture, $"Seeded {options.Subjects:N0} subjects (10 fields, consent events for 5 purposes) plus {options.Erasures + options.Connections:N0} + {options.Erasures:N0} subjects to erase, in {seedSeconds:F0} s."));
            Say(string.Empty);
            Say("| scenario | requests/s | items/s | p50 ms | p99 ms | errors | vs baseline | service CPU ms/request | peak RSS MB |");
            Say("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in rows)
            {
                Say(TableRow(row, rows[0].Result));
            }

            Say(string.Empty);
            Say(string.Create(CultureInfo.InvariantCulture, $"Peak resident set of the service: {peakRss / (1024.0 * 1024):F0} MB."));
            Say(string.Empty);
            Say("| target | measured | holds |");
            Say("|---|---|---|");
            foreach (var line in Targets(rows, peakRss))
            {
                Say(line);
            }

            Directory.CreateDirectory(options.ResultsDirectory);
            var file = Path.Combine(options.ResultsDirectory, $"suite-{started:yyyyMMdd-HHmmss}.md");
            await File.WriteAllTextAsync(file, output.ToString());
            Console.WriteLine();
            Console.WriteLine($"Results written to {file}");
            return rows.Any(r => r.Result.Errors > 0) ? 3 : 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    /// <summary>Runs a measured scenario and adds the service's CPU time per request and its peak resident set during it.</summary>
    private static async Task<LoadResult> Observed(ServiceProcess service, Func<Task<LoadResult>> run)
    {
        var cpu = service.CpuTime;
        service.StartWindow();
        var result = await run();
        return result with
        {
            CpuMsPerRequest = (service.CpuTime - cpu).TotalMilliseconds / Math.Max(1, result.Requests),
            PeakRssBytes = service.WindowPeakRssBytes,
        };
    }

    private static async Task<Step> ConsentedRead(HttpClient http, List<string> subjects, Random random) =>
        await Send(http, HttpMethod.Get, $"/api/v1/subjects/{subjects[random.Next(subjects.Count)]}?purpose={Seeder.ReadPurpose}");

    private static async Task<LoadResult> Erase(HttpClient http, int connections, IEnumerable<string> subjects)
    {
        var queue = new ConcurrentQueue<string>(subjects);
        return await LoadGenerator.RunUntilDoneAsync(connections, async (_, _) =>
            queue.TryDequeue(out var id) ? await Send(http, HttpMethod.Delete, $"/api/v1/subjects/{id}") : null);
    }

    /// <summary>
    /// One page of the campaign export. Each connection starts at a random subject and follows the
    /// cursor, as an export client does; at the end of the list it starts again elsewhere.
    /// </summary>
    private static async Task<Step> ExportPage(HttpClient http, List<string> subjects, string?[] cursors, int worker, Random random)
    {
        var cursor = cursors[worker] ??= subjects[random.Next(subjects.Count)];
        using var response = await http.GetAsync($"/api/v1/purposes/{Seeder.ReadPurpose}/subjects?cursor={cursor}");
        if (!response.IsSuccessStatusCode)
        {
            return new Step(false, 0);
        }

        using var page = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        cursors[worker] = page.RootElement.GetProperty("nextCursor").GetString();
        return new Step(true, page.RootElement.GetProperty("items").GetArrayLength());
    }

    private static async Task<Step> Send(HttpClient http, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return new Step(response.IsSuccessStatusCode);
    }

    private const string ConsentBody = """{"purposeId":"personalisation","state":"given","noticeLanguage":"es","evidence":"preference centre, form v3"}""";

    private static string NewSubjectBody(int n) => string.Create(CultureInfo.InvariantCulture, $$$"""
        {"fields":{"email":"new{{{n}}}@example.com","given_name":"Laia","family_name":"Serra","phone":"+34{{{700_000_000 + n}}}",
        "postal_address":"Passeig de Gràcia {{{(n % 120) + 1}}}\n08007 Barcelona","birth_date":"1988-03-14","preferred_language":"ca",
        "interests":["books","cinema"],"billing_name":"Laia Serra","billing_address":"Passeig de Gràcia {{{(n % 120) + 1}}}\n08007 Barcelona"}}
        """);

    /// <summary>Verifies the audit file this run wrote, with the vault database's signing keys, as <c>audit verify</c> does.</summary>
    private static LoadResult VerifyAudit(string dataDirectory)
    {
        using var vault = OpenReadOnly(Path.Combine(dataDirectory, "datavault.db"));
        using var audit = OpenReadOnly(Path.Combine(dataDirectory, "audit.db"));
        var keys = AuditVerifier.ReadSigningKeys(vault);
        AuditVerifier.Verify(audit, keys);
        var stopwatch = Stopwatch.StartNew();
        var result = AuditVerifier.Verify(audit, keys);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new LoadResult(1, result.Entries, seconds, seconds * 1000, seconds * 1000, result.IsValid ? 0 : 1);
    }

    /// <summary>The consented read again on a vault ten times (or as many times as asked) larger.</summary>
    private static async Task<(Row Row, long PeakRss)> LargeReadAsync(string api, string catalogue, SuiteOptions options, TimeSpan duration, TimeSpan warmUp)
    {
        var data = Directory.CreateTempSubdirectory("datavault-bench-large-");
        try
        {
            Console.WriteLine($"Seeding {options.LargeSubjects:N0} subjects into {data.FullName} ...");
            List<string> subjects;
            await using (var seeder = await Seeder.CreateAsync(data.FullName, catalogue))
            {
                subjects = seeder.Seed([new SeedSet("subjects", options.LargeSubjects, 1)], Console.Out)["subjects"];
            }

            var environment = ServiceProcess.Environment(data.FullName);
            var secret = await ServiceProcess.AddClientAsync(api, environment, ClientId, Scopes, Purposes);
            await using var service = await ServiceProcess.StartAsync(api, environment, FreePort());
            using var http = await service.CreateClientAsync(options.Connections, ClientId, secret);

            // Like for like: the default data set's service had served the baseline scenario before its read was
            // measured. A service measured straight after start pays JIT tiering and first-use costs inside the
            // window (the same 20,000-subject read measured that way took 0.94 instead of 0.54 ms of CPU per read).
            using var anonymous = service.CreateClient(options.Connections);
            await LoadGenerator.RunForAsync(options.Connections, warmUp + duration, (_, _) => Send(anonymous, HttpMethod.Get, "/benchmark/baseline"));
            Console.WriteLine($"Scenario: consented read, {options.LargeSubjects:N0} subjects");
            await LoadGenerator.RunForAsync(options.Connections, warmUp, (_, random) => ConsentedRead(http, subjects, random));
            var result = await Observed(service, () => LoadGenerator.RunForAsync(options.Connections, duration, (_, random) => ConsentedRead(http, subjects, random)));
            return (new Row(string.Create(CultureInfo.InvariantCulture, $"2L. consented read, {options.LargeSubjects:N0} subjects"), "-", result), service.PeakRssBytes);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> Targets(List<Row> rows, long peakRss)
    {
        var baseline = rows[0].Result;
        var read = rows.Single(r => r.Scenario.StartsWith("2.", StringComparison.Ordinal)).Result;
        var write = rows.Single(r => r.Scenario.StartsWith("3.", StringComparison.Ordinal)).Result;
        var erase10 = rows.Single(r => r.Scenario.StartsWith("5a.", StringComparison.Ordinal)).Result;
        var erase1000 = rows.Single(r => r.Scenario.StartsWith("5b.", StringComparison.Ordinal)).Result;
        var verify = rows.Single(r => r.Scenario.StartsWith("7.", StringComparison.Ordinal)).Result;
        var large = rows.SingleOrDefault(r => r.Scenario.StartsWith("2L.", StringComparison.Ordinal))?.Result;
        var readRatio = read.RequestsPerSecond / baseline.RequestsPerSecond;
        var rssMb = peakRss / (1024.0 * 1024);
        string Holds(bool holds) => holds ? "yes" : "**no**";
        return
        [
            Format($"| consented read ≥ 25% of baseline throughput | {readRatio:P0} | {Holds(readRatio >= 0.25)} |"),
            Format($"| consented read p99 < 10 ms | {read.P99:F1} ms | {Holds(read.P99 < 10)} |"),
            Format($"| write ≥ 3,000 subjects/s | {write.ItemsPerSecond:F0}/s | {Holds(write.ItemsPerSecond >= 3000)} |"),
            Format($"| erasure p99 < 5 ms (10 versions) | {erase10.P99:F1} ms | {Holds(erase10.P99 < 5)} |"),
            Format($"| erasure p99 < 5 ms (1,000 versions) | {erase1000.P99:F1} ms | {Holds(erase1000.P99 < 5)} |"),
            Format($"| erasure time independent of versions (1,000-version p50 within 1.5× of 10-version) | {erase1000.P50 / erase10.P50:F2}× | {Holds(erase1000.P50 <= 1.5 * erase10.P50)} |"),
            Format($"| audit verification ≥ 1,000,000 entries/s | {verify.ItemsPerSecond:N0}/s | {Holds(verify.ItemsPerSecond >= 1_000_000)} |"),
            Format($"| service resident set < 400 MB for the whole run | {rssMb:F0} MB | {Holds(rssMb < 400)} |"),
            large is null
                ? "| 1,000,000 subjects: read throughput within 20% of 100,000 | not run (add --large-subjects 1000000) | - |"
                : Format($"| large data set: read throughput within 20% of the default one | {large.RequestsPerSecond / read.RequestsPerSecond:P0} | {Holds(large.RequestsPerSecond >= 0.8 * read.RequestsPerSecond)} |"),
        ];
    }

    private static string Line(Row row, LoadResult baseline) => "  " + TableRow(row, baseline);

    private static string TableRow(Row row, LoadResult baseline)
    {
        var r = row.Result;
        return row.HttpScenario
            ? Format($"| {row.Scenario} | {r.RequestsPerSecond:F0} | {(row.ItemUnit == "-" ? "-" : $"{r.ItemsPerSecond:F0} {row.ItemUnit}")} | {r.P50:F2} | {r.P99:F2} | {r.Errors} | {r.RequestsPerSecond / baseline.RequestsPerSecond:P1} | {r.CpuMsPerRequest:F2} | {r.PeakRssBytes / (1024.0 * 1024):F0} |")
            : Format($"| {row.Scenario} | - | {r.ItemsPerSecond:N0} {row.ItemUnit} ({r.Items:N0} in {r.Seconds:F2} s) | - | - | {r.Errors} | - | - | - |");
    }

    private static string Machine(string root, SuiteOptions options)
    {
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = long.Parse(memory["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        return Format($"Machine: {Environment.ProcessorCount} cores ({cpu}), {kb / (1024.0 * 1024):F1} GiB memory, {Environment.OSVersion}, .NET {Environment.Version}; commit {Commit(root)}; {options.Connections} connections, {options.Seconds} s per scenario, load generator on the same machine over loopback.");
    }

    private static string Commit(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
