using Microsoft.Extensions.Options;

namespace DataVault.Api.Hosting;

/// <summary>
/// A minimum level for a log category that no logging setting can lower, however specific: applied
/// after every other configuration of the filters (a post-configuration). Logging's rule selection
/// prefers a provider's own rules to the rules for all providers, so the floor is added for every
/// provider named in a rule, and rules for narrower categories are raised to it.
/// </summary>
internal sealed class LogFloor(string category, LogLevel level) : IPostConfigureOptions<LoggerFilterOptions>
{
    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            if (rule.CategoryName?.StartsWith(category, StringComparison.OrdinalIgnoreCase) == true && !(rule.LogLevel >= level))
            {
                options.Rules[i] = new LoggerFilterRule(rule.ProviderName, rule.CategoryName, level, rule.Filter);
            }
        }

        foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct(StringComparer.Ordinal).ToList())
        {
            options.Rules.Add(new LoggerFilterRule(provider, category, level, filter: null));
        }
    }
}

internal static class LogFloorExtensions
{
    /// <summary>Keeps <paramref name="category"/> (and the categories under it) at <paramref name="level"/> or above.</summary>
    public static IServiceCollection AddLogFloor(this IServiceCollection services, string category, LogLevel level) =>
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(new LogFloor(category, level));
}
