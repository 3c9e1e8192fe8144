using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DataVault.Api.Tests;

/// <summary>
/// A real HTTP receiver on a loopback port, as a CRM would run one: Kestrel in the test process, recording every
/// delivery and answering as <see cref="Answer"/> says (the status, and a <c>Retry-After</c> if any).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly Channel<ReceivedWebhook> _arriving = Channel.CreateUnbounded<ReceivedWebhook>();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>How the receiver answers a delivery; 204 unless told otherwise.</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => StatusCodes.Status204NoContent;

    public string Url { get; private set; } = string.Empty;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var received = new ReceivedWebhook(
                context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(),
                body.ToArray(),
                DateTimeOffset.UtcNow);
            receiver._arriving.Writer.TryWrite(received);
            var status = receiver.Answer(received);
            received.Status = status;
            receiver._arrivals.Writer.TryWrite(received);
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        receiver.Url = app.Urls.Single() + "/hook";
        return receiver;
    }

    /// <summary>The next delivery answered; fails the test if none comes within <paramref name="timeout"/>.</summary>
    public Task<ReceivedWebhook> NextAsync(TimeSpan timeout) => ReadAsync(_arrivals, timeout);

    /// <summary>The next delivery received, before it is answered.</summary>
    public Task<ReceivedWebhook> ArrivingAsync(TimeSpan timeout) => ReadAsync(_arriving, timeout);

    private static async Task<ReceivedWebhook> ReadAsync(Channel<ReceivedWebhook> channel, TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            return await channel.Reader.ReadAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No webhook delivery arrived within {timeout}.");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One delivery as the receiver got it.</summary>
internal sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body, DateTimeOffset ArrivedAt)
{
    /// <summary>What the receiver answered.</summary>
    public int Status { get; set; }

    public WebhookBody Payload => DataVault.Testing.Wire.Parse<WebhookBody>(Body);

    /// <summary>
    /// Verifies the delivery as a receiver following Standard Webhooks does, written here from the specification
    /// rather than with the vault's code: some <c>v1,</c> signature in the header must be the HMAC-SHA256, keyed with
    /// the secret's base64 key, of <c>{id}.{timestamp}.{body}</c>, and the timestamp within five minutes.
    /// </summary>
    public bool VerifiesWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.").Concat(Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp, CultureInfo.InvariantCulture));
        return Math.Abs((DateTimeOffset.UtcNow - timestamp).TotalMinutes) < 5
            && Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }
}

internal sealed record WebhookBody(string Type, DateTimeOffset Timestamp, WebhookEvent Data);

internal sealed record WebhookEvent(string Id, long Sequence, string Type, DateTimeOffset OccurredAt, string? SubjectId, string[] Purposes, string[] Fields);
