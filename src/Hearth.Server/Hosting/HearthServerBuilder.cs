using Hearth.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Hosting;

/// <summary>Returned by <see cref="HearthServerServiceCollectionExtensions.AddHearthServer"/>; chooses the
/// store.</summary>
public sealed class HearthServerBuilder(IServiceCollection services)
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Uses embedded Garnet with data under <paramref name="dataDirectory"/> (default
    /// <c>.hearth</c>).</summary>
    public HearthServerBuilder UseEmbeddedStore(
        string dataDirectory = ".hearth", Action<StoreOptions>? configure = null) =>
        UseStore(o =>
        {
            o.Store = StoreOptions.Embedded;
            o.DataDirectory = dataDirectory;
            configure?.Invoke(o);
        });

    /// <summary>Uses an external Redis ≥ 7 / Valkey / Garnet at <paramref name="url"/>
    /// (<c>redis://host:port</c>).</summary>
    public HearthServerBuilder UseRedisStore(string url, Action<StoreOptions>? configure = null) =>
        UseStore(o =>
        {
            o.Store = url;
            configure?.Invoke(o);
        });

    /// <summary>Uses a store that is already open (tests, or a host sharing one store between components).</summary>
    public HearthServerBuilder UseStore(StoreHost host)
    {
        Services.AddSingleton(host);
        return this;
    }

    private HearthServerBuilder UseStore(Action<StoreOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}
