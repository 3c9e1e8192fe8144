using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault;

/// <summary>
/// Registers the vault's application services. They are public, for the API and the portal to call, but their
/// constructors are internal: they take the vault's storage, writer and keys, which nothing outside the vault may
/// touch. The container calls only public constructors, so each such service gets a factory that resolves every
/// constructor parameter from the container, exactly as the container would for a public constructor; it is
/// compiled once, at registration.
/// </summary>
internal static class VaultServiceRegistration
{
    public static IServiceCollection AddScopedService<T>(this IServiceCollection services)
        where T : class => services.AddService<T>(ServiceLifetime.Scoped);

    public static IServiceCollection AddSingletonService<T>(this IServiceCollection services)
        where T : class => services.AddService<T>(ServiceLifetime.Singleton);

    private static IServiceCollection AddService<T>(this IServiceCollection services, ServiceLifetime lifetime)
        where T : class
    {
        var constructor = typeof(T).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single(c => c.IsAssembly);
        var provider = Expression.Parameter(typeof(IServiceProvider), "provider");
        var resolve = typeof(ServiceProviderServiceExtensions).GetMethod(
            nameof(ServiceProviderServiceExtensions.GetRequiredService), [typeof(IServiceProvider), typeof(Type)])!;
        var arguments = constructor.GetParameters()
            .Select(parameter => Expression.Convert(Expression.Call(resolve, provider, Expression.Constant(parameter.ParameterType)), parameter.ParameterType));
        var create = Expression.Lambda<Func<IServiceProvider, T>>(Expression.New(constructor, arguments), provider).Compile();
        services.Add(new ServiceDescriptor(typeof(T), create, lifetime));
        return services;
    }
}
