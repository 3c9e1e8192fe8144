using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataVault.Load;

/// <summary>
/// The real service (Release build of DataVault.Api) started as its own process on loopback, with the
/// settings of the <c>Benchmark</c> environment, and the peak resident set sampled while it runs.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peakRssKb;
    private long _windowPeakRssKb;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _sampler = Task.Run(SampleMemoryAsync);
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Highest resident set seen: the larger of the samples (every 100 ms) and the kernel's high-water mark.</summary>
    public long PeakRssBytes => Math.Max(Interlocked.Read(ref _peakRssKb), ReadStatusKb("VmHWM")) * 1024;

    /// <summary>Highest resident set sampled since the last <see cref="StartWindow"/>.</summary>
    public long WindowPeakRssBytes => Interlocked.Read(ref _windowPeakRssKb) * 1024;

    /// <summary>
    /// CPU time (user and system) the service has used so far. On a shared machine a scenario's throughput moves
    /// with whatever else runs, but the service's CPU time per request hardly does, so it compares builds.
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in USER_HZ (100 per second on Linux).
                var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                return TimeSpan.FromMilliseconds(ticks * 10);
            }
            catch (IOException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>Starts a new window for <see cref="WindowPeakRssBytes"/>.</summary>
    public void StartWindow() => Interlocked.Exchange(ref _windowPeakRssKb, ReadStatusKb("VmRSS"));

    public static string ApiAssembly(string root) =>
        Path.Combine(root, "api", "DataVault.Api", "bin", "Release", "net10.0", "DataVault.Api.dll");

    public static Dictionary<string, string> Environment(string dataDirectory, bool audited = true)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Benchmark",
            ["Vault__DataDirectory"] = dataDirectory,

            // Outside Development the service needs to be told where mail goes; the suite sends none.
            ["Mail__PickupDirectory"] = Path.Combine(dataDirectory, "mail"),

            // ... and who the controller is, which the portal names on every page.
            ["Controller__Name"] = "Load benchmark (fictional controller)",
            ["Controller__ContactEmail"] = "privacy@bench.example",
            ["Audit__Enabled"] = audited ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["TokenService__TokenRequestsPerAddressPerMinute"] = "100000",
            ["TokenService__TokenRequestsPerClientPerMinute"] = "100000",
        };
        foreach (var (key, value) in BenchmarkKeyRing.Settings(dataDirectory))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }

    /// <summary>Registers a client with the CLI verb an operator uses and returns its secret.</summary>
    public static async Task<string> AddClientAsync(string api, Dictionary<string, string> environment, string clientId, string scopes, string purposes)
    {
        using var cli = Run(api, environment, redirect: true, "clients", "add", clientId, "--name", "Load benchmark", "--scope", scopes, "--purpose", purposes);
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return output.Split('\n').Single(l => l.StartsWith("secret:", StringComparison.Ordinal))["secret:".Length..].Trim();
    }

    public static async Task<ServiceProcess> StartAsync(string api, Dictionary<string, string> environment, int port)
    {
        var address = new Uri($"http://127.0.0.1:{port}");

        // The address the load generator uses is the service's public origin, as a deployment configures it.
        var withOrigin = new Dictionary<string, string>(environment) { ["Api__PublicOrigin"] = address.GetLeftPart(UriPartial.Authority) };
        var service = new ServiceProcess(Run(api, withOrigin, redirect: false, $"--urls={address}"), address);
        using var http = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await service.DisposeAsync();
        throw new InvalidOperationException("The service did not become healthy.");
    }

    /// <summary>A client with <paramref name="connections"/> keep-alive connections and no credentials.</summary>
    public HttpClient CreateClient(int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromMinutes(2),
        };

    /// <summary>A client with <paramref name="connections"/> keep-alive connections and a bearer token of the given client.</summary>
    public async Task<HttpClient> CreateClientAsync(int connections, string clientId, string secret)
    {
        var http = CreateClient(connections);
        using var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        // SIGTERM first, as an operator would stop it: the host drains, the audit writer fails what is still
        // queued, and SQLite checkpoints its write-ahead logs on close.
        if (!_process.HasExited)
        {
            using var term = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false });
            await term!.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _stop.Dispose();
    }

    private static Process Run(string api, Dictionary<string, string> environment, bool redirect, params string[] arguments)
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

        return Process.Start(start)!;
    }

    private async Task SampleMemoryAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                var rss = ReadStatusKb("VmRSS");
                if (rss > Interlocked.Read(ref _peakRssKb))
                {
                    Interlocked.Exchange(ref _peakRssKb, rss);
                }

                if (rss > Interlocked.Read(ref _windowPeakRssKb))
                {
                    Interlocked.Exchange(ref _windowPeakRssKb, rss);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped with the service.
        }
    }

    /// <summary>A size line of /proc/&lt;pid&gt;/status in kB, or 0 once the process is gone.</summary>
    private long ReadStatusKb(string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return 0;
    }
}
