using System.Diagnostics;
using Hearth.Scaling.Processes;
using Hearth.Testing;

namespace Hearth.Scaling.Tests.Processes;

public sealed class ProcessProviderTests
{
    [Fact]
    public async Task Stop_sends_SIGTERM_and_the_worker_drains_and_exits_0()
    {
        await using var run = new OutputCollector();
        await run.Provider.StartAsync(Shell.Launch("ep-a", "trap 'echo drained; exit 0' TERM; echo ready; sleep 1000 & wait"));
        await run.Lines.LineAsync(l => l == "ep-a: ready");

        await run.Provider.StopAsync("ep-a", TimeSpan.FromSeconds(20)).Within(Shell.Patience, "ep-a to stop");

        var exit = await run.Exits.Next();
        Assert.Equal(new WorkerExited("ep-a", "ep", 0, [], Requested: true), exit with { LastStderrLines = [] });
        Assert.Contains("ep-a: drained", run.Drain());
        Assert.Empty(run.Provider.Workers);
    }

    [Fact]
    public async Task A_worker_that_ignores_SIGTERM_is_killed_after_the_drain()
    {
        await using var run = new OutputCollector();
        await run.Provider.StartAsync(Shell.Launch("ep-b", "trap '' TERM; echo ready; while :; do sleep 1; done"));
        await run.Lines.LineAsync(l => l == "ep-b: ready");
        var watch = Stopwatch.StartNew();

        await run.Provider.StopAsync("ep-b", TimeSpan.FromMilliseconds(500))
            .Within(Shell.Patience, "ep-b to be killed");

        // A lower bound only: load can make the stop slower, never faster, so this cannot fail on a busy machine.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"killed after {watch.Elapsed}, before the drain ended");
        var exit = await run.Exits.Next();
        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.Requested);
    }

    [Fact]
    public async Task Stop_kills_the_whole_process_tree()
    {
        await using var run = new OutputCollector();
        var handle = await run.Provider.StartAsync(Shell.Launch("ep-c", "trap '' TERM; sleep 1000 & echo child=$!; wait"));
        var child = int.Parse((await run.Lines.LineAsync(l => l.StartsWith("ep-c: child=", StringComparison.Ordinal)))["ep-c: child=".Length..]);
        Assert.False(Shell.IsDead(child));

        await run.Provider.StopAsync("ep-c", TimeSpan.FromMilliseconds(200))
            .Within(Shell.Patience, "ep-c to be killed");

        Assert.True(await Shell.DiesAsync(handle.ProcessId));
        Assert.True(await Shell.DiesAsync(child), $"child {child} survived the stop");
    }

    [Fact]
    public async Task Children_left_behind_by_a_worker_that_exited_are_killed()
    {
        await using var run = new OutputCollector();
        await run.Provider.StartAsync(Shell.Launch("ep-d", "sleep 1000 >/dev/null 2>&1 & echo child=$!; exit 4"));
        var child = int.Parse((await run.Lines.LineAsync(l => l.StartsWith("ep-d: child=", StringComparison.Ordinal)))["ep-d: child=".Length..]);

        var exit = await run.Exits.Next();

        Assert.Equal(4, exit.ExitCode);
        Assert.False(exit.Requested);
        Assert.True(await Shell.DiesAsync(child), $"orphan {child} survived its worker");
    }

    [Fact]
    public async Task The_environment_and_the_parent_pid_are_passed()
    {
        await using var run = new OutputCollector();
        var env = new Dictionary<string, string> { ["RUNPOD_POD_ID"] = "ep-e", ["FOO"] = "bar baz" };
        await run.Provider.StartAsync(Shell.Launch("ep-e", "echo \"$RUNPOD_POD_ID|$FOO|$HEARTH_PARENT_PID\"", env));

        var line = await run.Lines.Next();

        Assert.Equal($"ep-e: ep-e|bar baz|{Environment.ProcessId}", line);
        Assert.Equal(0, (await run.Exits.Next()).ExitCode);
    }

    [Fact]
    public async Task The_last_20_stderr_lines_come_with_the_exit()
    {
        await using var run = new OutputCollector();
        await run.Provider.StartAsync(Shell.Launch("ep-f", "i=1; while [ $i -le 30 ]; do echo line$i >&2; i=$((i+1)); done; exit 7"));

        var exit = await run.Exits.Next();

        Assert.Equal(7, exit.ExitCode);
        Assert.False(exit.Requested);
        Assert.Equal(Enumerable.Range(11, 20).Select(i => $"line{i}"), exit.LastStderrLines);
    }

    [Fact]
    public async Task Dispose_leaves_no_process_behind()
    {
        var run = new OutputCollector(disposeDrain: TimeSpan.FromMilliseconds(300));
        var pids = new List<int>();
        string[] scripts =
        [
            "trap 'exit 0' TERM; sleep 1000 & echo child=$!; wait",
            "trap '' TERM; sleep 1000 & echo child=$!; wait",
            "sleep 1000 & echo child=$!; wait",
        ];
        for (var i = 0; i < scripts.Length; i++)
        {
            var handle = await run.Provider.StartAsync(Shell.Launch($"ep-g{i}", scripts[i]));
            var prefix = $"ep-g{i}: child=";
            pids.Add(handle.ProcessId);
            pids.Add(int.Parse((await run.Lines.LineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal)))[prefix.Length..]));
        }

        await run.DisposeAsync().AsTask().Within(Shell.Patience, "the provider to stop its workers");

        Assert.Empty(run.Provider.Workers);
        foreach (var pid in pids)
        {
            Assert.True(await Shell.DiesAsync(pid), $"pid {pid} survived DisposeAsync");
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => run.Provider.StartAsync(Shell.Launch("late", "true")));
    }

    [Fact]
    public async Task Stopping_an_unknown_worker_is_a_no_op()
    {
        await using var run = new OutputCollector();
        await run.Provider.StopAsync("nobody", TimeSpan.FromSeconds(1)).Within(Shell.Patience, "a stop of no worker");
    }
}
