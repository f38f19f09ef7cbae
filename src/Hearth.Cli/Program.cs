using System.CommandLine;
using Hearth.Cli.Commands;

var root = new RootCommand("Hearth: a self-hosted serverless runtime for AI agents, with a Runpod-compatible API.")
{
    ServeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
