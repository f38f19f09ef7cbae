using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>Growth limits: a job's stream, a session's journal and a session's state stop at their limits, and a refused
/// write changes nothing.</summary>
public sealed partial class StoreConformanceKit
{
    /// <summary>The limits of the store <see cref="StoreConformanceTests"/> gives the growth scenario.</summary>
    public static readonly GrowthLimits SmallGrowth = new(MaxStreamChunks: 3, MaxJournalEntries: 3, MaxStateBytes: 100);

    public async Task Streams_journals_and_session_state_stop_at_their_limits_and_a_refused_write_changes_nothing()
    {
        var s = limited ?? throw new InvalidOperationException("This scenario needs the store with SmallGrowth limits.");
        var ep = NewEndpoint();
        await s.SubmitAsync(ep, Job("a", retention: 1_000) with { SessionId = "big-session" });
        await s.TakeAsync(ep, "w1", 1, T0, Lease);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HolderCheck.Accepted, await s.AppendStreamAsync(ep, "a", "w1", $"{i}"));
        }

        Assert.Equal(HolderCheck.LimitReached, await s.AppendStreamAsync(ep, "a", "w1", "4"));
        Assert.Equal(["1", "2", "3"], (await s.ReadStreamAsync(ep, "a"))!.Chunks);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(StepWrite.Written, await s.PutStepAsync(ep, "a", "w1", $"step-{i}", $"{i}", T0 + i));
        }

        Assert.Equal(StepWrite.LimitReached, await s.PutStepAsync(ep, "a", "w1", "step-4", "4", T0 + 4));
        Assert.Equal(StepWrite.AlreadyJournaled, await s.PutStepAsync(ep, "a", "w1", "step-1", "9", T0 + 5));
        Assert.Equal(3, (await s.GetStepsAsync(ep, "a", "w1"))!.Count);

        var sixty = "\"" + new string('x', 58) + "\"";
        var fifty = "\"" + new string('y', 48) + "\"";
        Assert.Equal(StateWrite.Written, await s.PutStateAsync(ep, "a", "w1", "plan", sixty, T0 + 6));
        Assert.Equal(StateWrite.TooLarge, await s.PutStateAsync(ep, "a", "w1", "notes", fifty, T0 + 7));
        Assert.Null((await s.GetStateAsync(ep, "a", "w1", "notes")).ValueJson);

        // Replacing a value counts its new size only; deleting one frees its bytes.
        var ninety = "\"" + new string('z', 88) + "\"";
        Assert.Equal(StateWrite.Written, await s.PutStateAsync(ep, "a", "w1", "plan", ninety, T0 + 8));
        Assert.Equal(StateWrite.Written, await s.PutStateAsync(ep, "a", "w1", "plan", null, T0 + 9));
        Assert.Equal(StateWrite.Written, await s.PutStateAsync(ep, "a", "w1", "notes", fifty, T0 + 10));
        Assert.Equal(fifty, (await s.GetStateAsync(ep, "a", "w1", "notes")).ValueJson);
    }
}
