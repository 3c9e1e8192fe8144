using System.Net;
using DataVault.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmSync.Follow;

/// <summary>
/// <c>webhook</c> mode: a small listener on <c>POST /webhook</c> that verifies each pushed change (Standard Webhooks)
/// and applies it to the copy. Its 2xx is the acknowledgement; a delivery that does not verify is answered 400 and
/// changes nothing.
/// </summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookListener(WebApplication app) => _app = app;

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:8088/webhook</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    public static async Task<WebhookListener> StartAsync(
        IDataVaultApiClient vault, string purpose, string path, WebhookVerifier verifier, IPEndPoint endPoint, Action<ChangeEventResponse> applied, CancellationToken cancellationToken)
    {
        var copy = await FollowedCopy.LoadAsync(vault, purpose, path, cancellationToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(endPoint));
        var app = builder.Build();

        // One change at a time: the copy and its file are not shared between threads.
        var gate = new SemaphoreSlim(1, 1);
        app.MapPost("/webhook", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            WebhookEvent pushed;
            try
            {
                pushed = verifier.Verify(
                    context.Request.Headers["webhook-id"].ToString(),
                    context.Request.Headers["webhook-timestamp"].ToString(),
                    context.Request.Headers["webhook-signature"].ToString(),
                    body.ToArray());
            }
            catch (WebhookVerificationException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            await gate.WaitAsync(context.RequestAborted);
            try
            {
                await copy.ApplyAsync(pushed.Data, context.RequestAborted);
            }
            finally
            {
                gate.Release();
            }

            applied(pushed.Data);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync(cancellationToken);
        return new WebhookListener(app) { Url = app.Urls.Single() + "/webhook" };
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
