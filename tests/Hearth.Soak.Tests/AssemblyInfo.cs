// The soaks run real control planes and worker processes on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
