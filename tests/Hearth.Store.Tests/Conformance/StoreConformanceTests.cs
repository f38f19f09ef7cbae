using System.Reflection;
using Hearth.Store.Tests.Fixtures;

namespace Hearth.Store.Tests.Conformance;

/// <summary>Runs every kit scenario against one backend; each backend subclasses this once.</summary>
public abstract class StoreConformanceTests
{
    protected abstract IHearthStore Store { get; }

    /// <summary>A second store on the same server with <see cref="StoreConformanceKit.SmallGrowth"/> limits.</summary>
    protected abstract IHearthStore Limited { get; }

    /// <summary>
    /// Every scenario of the kit, found by reflection (each public method returning a task): a scenario added to the
    /// kit runs on every backend with no list to keep.
    /// </summary>
    public static TheoryData<string> Scenarios =>
    [
        .. typeof(StoreConformanceKit).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Task)).Select(m => m.Name).Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task Scenario(string name)
    {
        var scenario = typeof(StoreConformanceKit).GetMethod(name)!;
        object?[] defaults = [.. scenario.GetParameters().Select(_ => Type.Missing)];
        return (Task)scenario.Invoke(new StoreConformanceKit(Store, Limited), defaults)!;
    }

    [Fact]
    public void The_kit_still_has_the_28_scenarios_it_had_when_the_hand_kept_list_went() =>
        Assert.True(Scenarios.Count >= 28, $"only {Scenarios.Count} scenarios found on the kit");
}

public sealed class GarnetConformanceTests(GarnetFixture garnet) : StoreConformanceTests, IClassFixture<GarnetFixture>
{
    protected override IHearthStore Store => garnet.Host.Store;

    protected override IHearthStore Limited =>
        new RedisHearthStore(garnet.Host.Connection) { Growth = StoreConformanceKit.SmallGrowth };
}

[Collection(RedisCollection.Name)]
public sealed class RedisConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly StoreHost _host;

    public RedisConformanceTests(RedisServerFixture redis) => _host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });

    protected override IHearthStore Store => _host.Store;

    protected override IHearthStore Limited =>
        new RedisHearthStore(_host.Connection) { Growth = StoreConformanceKit.SmallGrowth };

    public void Dispose() => _host.Dispose();
}
