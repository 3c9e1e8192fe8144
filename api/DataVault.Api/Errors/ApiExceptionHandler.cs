using System.Text.Json;
using DataVault.Api.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Api.Errors;

/// <summary>
/// Turns expected failures into Problem Details (RFC 9457) with the right status: unreadable
/// input is the caller's 400/413/415, a database that is busy, full or read-only is our 503.
/// Messages describe the problem without echoing the submitted content.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, TitleFor(bad.StatusCode), DescribeBadRequest(bad)),
            SqliteException sqlite when IsUnavailable(sqlite) => Unavailable(sqlite),
            VaultBusyException => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The vault has too many changes waiting; this one was not queued and nothing was changed. Retry later."),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private (int, string, string) Unavailable(SqliteException exception)
    {
        // The middleware does not log an exception a handler answered, so this is its only trace.
        Log.DatabaseUnavailable(logger, exception.SqliteErrorCode, exception);
        return (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The vault's storage is temporarily unavailable; nothing was changed. Retry later.");
    }

    // SQLITE_BUSY 5, SQLITE_LOCKED 6, SQLITE_READONLY 8, SQLITE_IOERR 10, SQLITE_FULL 13, SQLITE_CANTOPEN 14.
    private static bool IsUnavailable(SqliteException exception) => exception.SqliteErrorCode is 5 or 6 or 8 or 10 or 13 or 14;

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Invalid request",
    };

    private static string DescribeBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return "The request body must be JSON (Content-Type: application/json).";
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return "The request body is larger than this server accepts.";
        }

        if (exception.InnerException is JsonException json)
        {
            // JsonException messages name .NET types; the path and a plain reason are what a caller needs.
            var where = string.IsNullOrEmpty(json.Path) ? string.Empty : $" at {json.Path}";
            return $"The request body is not acceptable JSON{where}: {Reason(json)}";
        }

        return exception.InnerException is null && exception.Message.StartsWith("Required parameter", StringComparison.Ordinal)
            ? "A required request body or parameter is missing."
            : "The request could not be read. Check the body is well-formed JSON and the parameters have the documented types.";
    }

    private static string Reason(JsonException json)
    {
        var message = json.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "it contains a property this operation does not define.";
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return "a required property is missing.";
        }

        if (message.Contains("null", StringComparison.OrdinalIgnoreCase))
        {
            return "null is not allowed here.";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "a property appears more than once.";
        }

        return json.LineNumber is null
            ? "a value has the wrong type."
            : "it is malformed or a value has the wrong type.";
    }
}
