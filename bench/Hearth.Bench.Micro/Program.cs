using BenchmarkDotNet.Running;

// Micro-benchmarks of the dispatch hot paths, with the memory diagnoser. Run through bench/run-micro.sh (it starts a
// throwaway redis-server for the store benchmarks), or: dotnet run -c Release --project bench/Hearth.Bench.Micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
