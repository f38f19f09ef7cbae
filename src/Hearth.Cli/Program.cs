using Hearth.App;

// The hearth command is a Hearth app with no endpoints in code: everything comes from hearth.yaml or --endpoint.
return await HearthApp.Create(args).RunAsync();
