using System.Globalization;
using DataVault.Load;

// The benchmark suite (default) and the audit-cost benchmark, both against the real service over loopback.
// See bench/README.md; bench/run.sh builds Release and runs the suite.
//   suite [--subjects 100000] [--seconds 10] [--connections 64] [--erasures 640] [--large-subjects 0] [--results bench/results]
//         [--api path/to/DataVault.Api.dll] (another build of the service, to compare two builds on one machine)
//   audit-cost [--seconds 15] [--connections 64]
var root = FindRepositoryRoot();
var api = Path.GetFullPath(Text("--api", ServiceProcess.ApiAssembly(root)));
if (!File.Exists(api))
{
    Console.Error.WriteLine($"Build the service first: dotnet build -c Release {Path.Combine(root, "api", "DataVault.Api")}");
    return 1;
}

var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "suite";
return mode switch
{
    "suite" => await Suite.RunAsync(root, api, new SuiteOptions(
        Argument("--subjects", 100_000),
        Argument("--seconds", 10),
        Argument("--connections", 64),
        Argument("--erasures", 640),
        Argument("--large-subjects", 0),
        Path.GetFullPath(Text("--results", Path.Combine(root, "bench", "results"))))),
    "audit-cost" => await AuditCost.RunAsync(api, Argument("--seconds", 15), Argument("--connections", 64)),
    _ => Usage(),
};

int Usage()
{
    Console.Error.WriteLine("Usage: DataVault.Load [suite|audit-cost] [options]; see bench/README.md.");
    return 2;
}

int Argument(string name, int fallback) =>
    int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), NumberStyles.Integer, CultureInfo.InvariantCulture);

string Text(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "DataVault.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("DataVault.sln not found.");
}
