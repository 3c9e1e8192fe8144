using DataVault.Api.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataVault.Api.Tests;

public sealed class LogFloorTests
{
    private const string Category = "OpenIddict.Server.OpenIddictServerDispatcher";

    [Fact]
    public void LogFloor_SettingsAboveTheFloor_KeepTheCategoryAsQuietAsConfigured()
    {
        using var services = Logging(new() { ["Logging:LogLevel:Default"] = "Information" });
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

        Assert.False(logger.IsEnabled(LogLevel.Debug));
        Assert.True(logger.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void LogFloor_SettingsBelowTheFloor_AreRaisedToIt()
    {
        using var services = Logging(new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:OpenIddict"] = "Trace",
            ["Logging:Everything:LogLevel:OpenIddict.Server"] = "Trace",
        });
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

        Assert.False(logger.IsEnabled(LogLevel.Trace));
        Assert.True(logger.IsEnabled(LogLevel.Debug));
    }

    private static ServiceProvider Logging(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddProvider(new Everything()))
            .AddLogFloor("OpenIddict", LogLevel.Debug)
            .BuildServiceProvider();
    }

    [ProviderAlias("Everything")]
    private sealed class Everything : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new EverythingLogger();

        public void Dispose()
        {
        }

        private sealed class EverythingLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }
}
