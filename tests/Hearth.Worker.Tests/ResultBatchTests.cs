using System.Collections.Concurrent;
using System.Net;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Worker.Tests;

/// <summary>
/// Results that finish while the worker's previous result post is in flight go together in one <c>job-done-batch</c>;
/// a control plane without that route gets them one by one.
/// </summary>
public sealed class ResultBatchTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task Results_finishing_during_a_post_go_in_one_batch_and_every_job_completes_with_its_own_output()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var (jobs, wire) = await RunEightTogetherAsync(h, refuseBatches: false);

        await EachCompletedWithItsOwnOutputAsync(h, jobs);

        // The first result went alone and was held until all eight had finished: the other seven waited for it and
        // went together.
        var posts = wire.Posts.ToArray();
        Assert.Contains(posts, p => p.Path.Contains("/job-done-batch/") && p.Results == 7);
        Assert.True(posts.Count(p => p.Path.Contains("/job-done")) < 8, string.Join(", ", posts.Select(p => p.Path)));
    }

    [Fact]
    public async Task Without_a_batch_route_the_results_go_one_by_one_and_none_is_lost()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var (jobs, wire) = await RunEightTogetherAsync(h, refuseBatches: true);

        await EachCompletedWithItsOwnOutputAsync(h, jobs);

        // One batch was tried and answered 404 (as a plain Runpod endpoint would); the worker did not try again.
        Assert.Single(wire.Posts, p => p.Path.Contains("/job-done-batch/"));
    }

    private static async Task EachCompletedWithItsOwnOutputAsync(WorkerHarness h, List<(string Id, string Name)> jobs)
    {
        foreach (var (id, name) in jobs)
        {
            var done = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
            Assert.Equal("hi " + name, (string?)done["output"]!["text"]);
        }
    }

    /// <summary>Eight jobs on a worker of concurrency 8, all released at once; the first result post is held until all have finished.</summary>
    private static async Task<(List<(string Id, string Name)> Jobs, Wire Wire)> RunEightTogetherAsync(WorkerHarness h, bool refuseBatches)
    {
        var options = h.Options();
        options.Concurrency = 8;
        var started = 0;
        var finished = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        var wire = new Wire(allFinished.Task, refuseBatches);
        await h.RunAsync(JobHandler.Create<Greeting, Reply>(async (g, _, _) =>
        {
            if (Interlocked.Increment(ref started) == 8)
            {
                allStarted.TrySetResult();
            }

            await release.Task;
            if (Interlocked.Increment(ref finished) == 8)
            {
                allFinished.TrySetResult();
            }

            return new Reply("hi " + g.Name);
        }), options, http: wire);

        var jobs = new List<(string, string)>();
        for (var i = 0; i < 8; i++)
        {
            jobs.Add((await h.Server.RunAsync(h.Endpoint, $$$"""{"input":{"name":"n{{{i}}}"}}"""), $"n{i}"));
        }

        await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        release.SetResult();
        return (jobs, wire);
    }

    /// <summary>Records the worker's result posts; holds the first until every handler has returned; may play a control plane without job-done-batch.</summary>
    private sealed class Wire(Task allFinished, bool refuseBatches) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _held;

        public ConcurrentQueue<(string Path, int Results)> Posts { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Post && path.Contains("/job-done", StringComparison.Ordinal))
            {
                var body = await request.Content!.ReadAsStringAsync(cancellationToken);
                Posts.Enqueue((path, path.Contains("/job-done-batch/", StringComparison.Ordinal) ? CountIds(body) : 1));
                if (Interlocked.Exchange(ref _held, 1) == 0)
                {
                    await allFinished.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
                    // A handler that has returned has its result queued before it yields the thread: give those a turn.
                    await Task.Yield();
                }

                if (refuseBatches && path.Contains("/job-done-batch/", StringComparison.Ordinal))
                {
                    return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }

        private static int CountIds(string body) => System.Text.Json.JsonDocument.Parse(body).RootElement.GetArrayLength();
    }
}
