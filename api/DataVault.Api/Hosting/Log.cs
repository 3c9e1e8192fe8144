namespace DataVault.Api.Hosting;

/// <summary>Log messages of the host: addresses and ids, never request bodies, values or tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "DataVault is listening on {Address}  API: /api/v1  Portal: /  Swagger UI: {SwaggerUi}  Health: /health")]
    public static partial void Listening(ILogger logger, string address, string swaggerUi);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Database and key ring are under {Directory}")]
    public static partial void DataDirectory(ILogger logger, string directory);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "The database is unavailable (SQLite error {ErrorCode}); answered 503")]
    public static partial void DatabaseUnavailable(ILogger logger, int errorCode, Exception exception);
}
