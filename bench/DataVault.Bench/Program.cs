using BenchmarkDotNet.Running;

// Micro-benchmarks of DataVault's pure code; see bench/README.md for how to run them and the figures measured.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
