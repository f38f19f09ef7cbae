using Hearth.App;
using ResearchAgent;
using ResearchAgent.Demo;
using ResearchAgent.Web;

// The seed article's research agent on Hearth. With a question (or nothing: a default one) it is a one-command demo:
// it starts the runtime in this process, asks the agent, shows the pipeline live and prints the answer. With a Hearth
// command (dev, serve, worker, lint, plan) it is an ordinary Hearth app; `worker` is what dev launches.
string[] commands = ["dev", "serve", "worker", "lint", "plan", "-h", "--help", "-?", "--version"];
var settings = ResearchSettings.FromEnvironment();
var isCommand = args.Length > 0 && commands.Contains(args[0]);
var app = HearthApp.Create(isCommand ? args : []);
var handlers = ResearchEndpoints.Declare(app, settings);

if (!isCommand)
{
    return await DemoCommand.RunAsync(app, DemoOptions.Parse(args), CancellationToken.None);
}

if (args[0] == "worker" && args.SkipWhile(a => a != "--endpoint").Skip(1).FirstOrDefault() is { } endpoint)
{
    handlers.Warm(endpoint); // model, index, HTTP client: once per worker, before its first job
}

if (args[0] != "dev")
{
    return await app.RunAsync();
}

// dev: the workers' web is served from here, on loopback; they find it through the environment they inherit.
await using var web = await OfflineWeb.StartAsync(TimeProvider.System);
Environment.SetEnvironmentVariable(ResearchSettings.WebUrlVariable, web.Address);
Console.WriteLine($"Offline web: {web.Address} ({OfflineWeb.Pages(OfflineWeb.Root).Count()} pages; {OfflineWeb.SlowPage} hangs {OfflineWeb.SlowDelay.TotalSeconds:0} s)");
return await app.RunAsync();
