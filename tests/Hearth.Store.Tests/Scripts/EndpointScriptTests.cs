using Hearth.Store.Scripts;

namespace Hearth.Store.Tests.Scripts;

/// <summary>Each endpoint script carries the helpers it calls and declares the keys it names, no more (the conformance kit runs them all).</summary>
public sealed class EndpointScriptTests
{
    [Fact]
    public void A_read_declares_only_the_hashes_it_reads()
    {
        Assert.Equal(["st", "sub", "exe", "hook", "att", "lost", "wid", "delay", "exec", "out", "err", "why", "trace"], ScriptLibrary.Get.KeyNames);
        Assert.DoesNotContain("local function", ScriptLibrary.Get.Text);
        Assert.StartsWith("local " + string.Join(", ", ScriptLibrary.Get.KeyNames) + " = KEYS[1], KEYS[2]", ScriptLibrary.Get.Text);
    }

    [Fact]
    public void A_result_carries_the_helpers_it_calls_transitively_in_prelude_order_and_their_keys()
    {
        var done = ScriptLibrary.Done.Text;
        var order = new[] { "local function int(", "local function named(", "local function touch_session(", "local function finalize(", "local function holder_state(" }
            .Select(f => done.IndexOf(f, StringComparison.Ordinal)).ToArray();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain("local function delete_job(", done);
        Assert.DoesNotContain("local function enqueue_front(", done);

        // finalize touches the session's expiry and the webhook outbox: their keys come with it.
        Assert.Contains("sexp", ScriptLibrary.Done.KeyNames);
        Assert.Contains("outbox", ScriptLibrary.Done.KeyNames);
        Assert.DoesNotContain("q", ScriptLibrary.Done.KeyNames);
    }

    [Fact]
    public void Every_script_declares_endpoint_keys_only_once_each_and_fewer_than_all()
    {
        foreach (var script in new[] { ScriptLibrary.Submit, ScriptLibrary.Take, ScriptLibrary.Done, ScriptLibrary.Sweep, ScriptLibrary.Purge, ScriptLibrary.Heartbeat })
        {
            Assert.All(script.KeyNames, k => Assert.Contains(k, EndpointKeys.Names));
            Assert.Equal(script.KeyNames.Count, script.KeyNames.Distinct().Count());
            Assert.Equal(script.KeyNames.Count, script.Keys("ep").Length);
            Assert.Equal("hearth:{ep}:" + script.KeyNames[0], (string?)script.Keys("ep")[0]);
        }

        Assert.True(ScriptLibrary.Done.KeyNames.Count < EndpointKeys.Names.Length);
    }
}
