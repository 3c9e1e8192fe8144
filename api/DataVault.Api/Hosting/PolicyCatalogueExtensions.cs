using DataVault.Policies;

namespace DataVault.Api.Hosting;

internal static class PolicyCatalogueExtensions
{
    /// <summary>
    /// Loads and validates the catalogue while the host is being built, so a broken file stops the
    /// service before it serves anything (<see cref="PolicyCatalogueException"/> names file and entry).
    /// </summary>
    public static void AddPolicyCatalogue(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration["Policies:Directory"] ?? "policies";
        var directory = Path.IsPathRooted(configured) ? configured : Path.Combine(AppContext.BaseDirectory, configured);
        builder.Services.AddSingleton(PolicyCatalogueLoader.Load(directory));
    }
}
