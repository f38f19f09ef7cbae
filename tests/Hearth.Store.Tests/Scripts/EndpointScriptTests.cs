using System.Text.RegularExpressions;
using Hearth.Store.Scripts;

namespace Hearth.Store.Tests.Scripts;

/// <summary>Each endpoint script carries the helpers it calls and declares the keys it names, no more (the conformance kit runs them all).</summary>
public sealed class EndpointScriptTests
{
    [Fact]
    public void A_read_declares_only_the_keys_it_reads()
    {
        // get.lua reads the job's own hash and its output: the job prefix and the output prefix, and one helper.
        Assert.Equal(["job", "out"], ScriptLibrary.Get.KeyNames);
        Assert.Contains("local function jkey(", ScriptLibrary.Get.Text);
        Assert.DoesNotContain("local function jget(", ScriptLibrary.Get.Text);
        Assert.StartsWith("local job, out = KEYS[1], KEYS[2]\n", ScriptLibrary.Get.Text);
    }

    [Fact]
    public void Every_job_field_a_script_names_is_a_declared_job_field()
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var script in ScriptLibrary.All)
        {
            named.UnionWith(JobFieldsNamed(script));
        }

        Assert.Contains("st", named);
        Assert.Contains("pmem", named);
        Assert.Contains("rqn", named);
        Assert.Empty(named.Except(EndpointKeys.JobFields));
    }

    /// <summary>The quoted field names in jget/jset calls, in HMGET/HSET/HDEL/HINCRBY calls on a job's hash (jkey(id),
    /// or the local <c>key</c> holding it) and in submit's field list.</summary>
    private static IEnumerable<string> JobFieldsNamed(string script)
    {
        foreach (Match m in Regex.Matches(script, @"(?:jget|jset)\([^,]+,\s*'([a-z]+)'"))
        {
            yield return m.Groups[1].Value;
        }

        var calls = Regex.Matches(script, @"redis\.call\('(?:HMGET|HSET|HDEL|HINCRBY)',\s*(?:jkey\(|key,)");
        foreach (var start in calls.Select(m => m.Index + "redis.call".Length))
        {
            var depth = 0;
            var end = start;
            do
            {
                depth += script[end] switch { '(' => 1, ')' => -1, _ => 0 };
                end++;
            }
            while (depth > 0);
            foreach (Match f in Regex.Matches(script[start..end], "'([a-z]+)'"))
            {
                yield return f.Groups[1].Value;
            }
        }

        foreach (Match m in Regex.Matches(script, @"local fields = \{([^}]*)\}|fields\[#fields \+ 2\] = '([a-z]+)'"))
        {
            var text = m.Groups[1].Success ? m.Groups[1].Value : $"'{m.Groups[2].Value}'";
            foreach (Match f in Regex.Matches(text, "'([a-z]+)'"))
            {
                yield return f.Groups[1].Value;
            }
        }
    }

    [Fact]
    public void A_result_carries_the_helpers_it_calls_transitively_in_prelude_order_and_their_keys()
    {
        var done = ScriptLibrary.Done.Text;
        var order = new[] { "local function int(", "local function named(", "local function touch_session(", "local function finalize(", "local function holder_state(", "local function take_jobs(" }
            .Select(f => done.IndexOf(f, StringComparison.Ordinal)).ToArray();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain("local function delete_job(", done);
        Assert.DoesNotContain("local function enqueue_front(", done);

        // finalize touches the session's expiry and the webhook outbox, take_jobs the queues: their keys come along.
        Assert.Contains("sexp", ScriptLibrary.Done.KeyNames);
        Assert.Contains("outbox", ScriptLibrary.Done.KeyNames);
        Assert.Contains("leases", ScriptLibrary.Done.KeyNames);

        // A script that calls none of them declares none of their keys.
        Assert.DoesNotContain("local function take_jobs(", ScriptLibrary.Progress.Text);
        Assert.DoesNotContain("outbox", ScriptLibrary.Progress.KeyNames);
        Assert.DoesNotContain("leases", ScriptLibrary.Progress.KeyNames);
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
