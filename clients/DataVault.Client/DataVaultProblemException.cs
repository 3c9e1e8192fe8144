using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DataVault.Client;

/// <summary>
/// An error answer of the DataVault API, read from its RFC 9457 Problem Details body: 400 with field
/// <see cref="Errors"/>, 401/403, 404 (unknown, or another owner's, subject), 410 (erased subject),
/// 413, 429, 503. The generated client throws it for every status it does not treat as success.
/// </summary>
/// <remarks>
/// The raw response body is not kept: a caller that logs the exception logs only the status, the
/// problem's title and detail and the names of the invalid fields, which the service writes without
/// personal values.
/// </remarks>
public class DataVaultProblemException : Exception
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoErrors =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Called by the generated client for an error status without a declared Problem Details body.</summary>
    public DataVaultProblemException(
        string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
        : this(statusCode, ProblemBody.Parse(response), message, headers, innerException)
    {
    }

    private protected DataVaultProblemException(
        int statusCode, ProblemBody? problem, string fallbackMessage, IReadOnlyDictionary<string, IEnumerable<string>>? headers, Exception? innerException)
        : base(Describe(statusCode, problem, fallbackMessage), innerException)
    {
        Status = statusCode;
        Type = problem?.Type;
        Title = problem?.Title;
        Detail = problem?.Detail;
        Instance = problem?.Instance;
        TraceId = problem?.TraceId;
        Errors = problem?.Errors ?? NoErrors;
        Headers = headers ?? new Dictionary<string, IEnumerable<string>>();
    }

    /// <summary>The HTTP status code of the answer.</summary>
    public int Status { get; }

    /// <summary><see cref="Status"/> as an <see cref="HttpStatusCode"/>.</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)Status;

    /// <summary>The problem type URI, if the service sent one.</summary>
    public string? Type { get; }

    /// <summary>Short summary of the problem type, e.g. "Subject erased".</summary>
    public string? Title { get; }

    /// <summary>Explanation of this occurrence.</summary>
    public string? Detail { get; }

    /// <summary>The request path the problem is about, if sent.</summary>
    public string? Instance { get; }

    /// <summary>The service's trace id of the request (quote it when reporting a problem).</summary>
    public string? TraceId { get; }

    /// <summary>Validation errors by field or parameter name (400); empty otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>Response headers, e.g. <c>Retry-After</c> on 429 and 503.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

    private static string Describe(int status, ProblemBody? problem, string fallback)
    {
        var text = problem?.Title ?? fallback;
        if (problem?.Detail is { Length: > 0 } detail)
        {
            text += " " + detail;
        }

        if (problem?.Errors is { Count: > 0 } errors)
        {
            text += " Invalid: " + string.Join(", ", errors.Keys) + ".";
        }

        return string.Create(CultureInfo.InvariantCulture, $"DataVault answered {status}: {text}");
    }

    /// <summary>The members of a Problem Details body this exception exposes.</summary>
    private protected sealed record ProblemBody(
        string? Type, string? Title, string? Detail, string? Instance, string? TraceId, IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors)
    {
        public static ProblemBody? From(object? result) => result switch
        {
            HttpValidationProblemDetails p => new(p.Type, p.Title, p.Detail, p.Instance, TraceIdOf(p.AdditionalProperties), Copy(p.Errors)),
            ProblemDetails p => new(p.Type, p.Title, p.Detail, p.Instance, TraceIdOf(p.AdditionalProperties), null),
            _ => null,
        };

        /// <summary>Reads a Problem Details JSON body; anything else (empty, HTML from a proxy) gives null.</summary>
        public static ProblemBody? Parse(string? body)
        {
            if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                Dictionary<string, IReadOnlyList<string>>? errors = null;
                if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Object)
                {
                    errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                    foreach (var field in errorsElement.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.GetRawText())]
                            : [field.Value.ToString()];
                    }
                }

                return new ProblemBody(String(root, "type"), String(root, "title"), String(root, "detail"), String(root, "instance"), String(root, "traceId"), errors);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? String(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string? TraceIdOf(IDictionary<string, object> extensions) =>
            extensions.TryGetValue("traceId", out var value) ? value switch
            {
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                string text => text,
                _ => null,
            } : null;

        private static Dictionary<string, IReadOnlyList<string>> Copy(IDictionary<string, IList<string>> errors) =>
            errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value], StringComparer.Ordinal);
    }
}

/// <summary>
/// A <see cref="DataVaultProblemException"/> whose body the generated client already read as the
/// declared response type (<see cref="ProblemDetails"/> or <see cref="HttpValidationProblemDetails"/>).
/// </summary>
/// <typeparam name="TResult">The declared error body type.</typeparam>
public class DataVaultProblemException<TResult> : DataVaultProblemException
{
    /// <summary>Called by the generated client for an error status with a declared body.</summary>
    public DataVaultProblemException(
        string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
        : base(statusCode, ProblemBody.From(result) ?? ProblemBody.Parse(response), message, headers, innerException)
    {
        Result = result;
    }

    /// <summary>The error body as the generated type.</summary>
    public TResult Result { get; }
}
