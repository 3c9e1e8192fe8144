using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DataVault.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) inside the test process, listening on a free port of
/// 127.0.0.1, that keeps every message it accepts, parsed with MimeKit. The vault's mail channel talks
/// to it over TCP exactly as to a production server, through MailKit. <see cref="Settings"/> are the
/// <c>Mail:Smtp:*</c> settings that point a vault at it; <see cref="WaitForMessageAsync"/> waits for a
/// delivery. <see cref="RefuseNext"/> makes it answer the next messages with a temporary failure
/// (450), as a busy server would.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    /// <summary>How long a test waits for a message before it fails: generous, since delivery runs in the background.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private int _refusals;

    private SmtpTestServer(SmtpServer.SmtpServer server, int port, Task running)
    {
        _server = server;
        Port = port;
        _running = running;
    }

    public int Port { get; }

    /// <summary>Every message accepted so far, in order of arrival.</summary>
    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>Settings that send a vault's mail here: no TLS (loopback only), no authentication.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:Host"] = IPAddress.Loopback.ToString(),
        ["Mail:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Mail:Smtp:FromAddress"] = "privacy@vault.example",
        ["Mail:Smtp:FromName"] = "Example Privacy Team",
    };

    public static async Task<SmtpTestServer> StartAsync()
    {
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        SmtpTestServer? instance = null;
        services.Add(new Store(message => instance!.Accept(message)));
        var server = new SmtpServer.SmtpServer(options, services);
        var running = server.StartAsync(CancellationToken.None);
        var port = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        instance = new SmtpTestServer(server, port, running);
        return instance;
    }

    /// <summary>The next <paramref name="count"/> messages get <c>450</c> (try again later) and are not kept.</summary>
    public void RefuseNext(int count) => Interlocked.Exchange(ref _refusals, count);

    /// <summary>The first message (waiting for it if need be) that matches <paramref name="match"/>; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            if (_messages.FirstOrDefault(m => match?.Invoke(m) ?? true) is { } found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"No matching message arrived at the test SMTP server within {(timeout ?? DefaultWait).TotalSeconds} s ({_messages.Count} others did).");
            await _arrived.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The first message sent to <paramref name="address"/>.</summary>
    public Task<MimeMessage> WaitForMessageToAsync(string address, TimeSpan? timeout = null) =>
        WaitForMessageAsync(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)), timeout);

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
            // Stopped, or left to the end of the process.
        }

        _arrived.Dispose();
    }

    private SmtpResponse Accept(MimeMessage message)
    {
        if (Interlocked.Decrement(ref _refusals) >= 0)
        {
            return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "try again later");
        }

        Interlocked.Exchange(ref _refusals, 0);
        _messages.Enqueue(message);
        _arrived.Release();
        return SmtpResponse.Ok;
    }

    private sealed class Store(Func<MimeMessage, SmtpResponse> accept) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            return accept(await MimeMessage.LoadAsync(stream, cancellationToken));
        }
    }
}
