namespace BgpStack.Fuzz;

/// <summary>Where the corpus and crashers live: fuzz/corpus/&lt;target&gt;/ and fuzz/crashers/&lt;target&gt;/ under the repository root.</summary>
public static class FuzzPaths
{
    /// <summary>The repository root: the nearest directory above <paramref name="start"/> holding BgpStack.sln.</summary>
    /// <param name="start">Where to start looking.</param>
    public static string RepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BgpStack.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no BgpStack.sln above {start}");
    }

    /// <summary>The repository root found from the working directory, or else from the executable's location.</summary>
    public static string RepositoryRoot()
    {
        try
        {
            return RepositoryRoot(Directory.GetCurrentDirectory());
        }
        catch (DirectoryNotFoundException)
        {
            return RepositoryRoot(AppContext.BaseDirectory);
        }
    }

    /// <summary>The seed corpus folder of a target.</summary>
    /// <param name="root">The repository root.</param>
    /// <param name="target">The target name.</param>
    public static string Corpus(string root, string target) => Path.Combine(root, "fuzz", "corpus", target);

    /// <summary>The crasher folder of a target.</summary>
    /// <param name="root">The repository root.</param>
    /// <param name="target">The target name.</param>
    public static string Crashers(string root, string target) => Path.Combine(root, "fuzz", "crashers", target);

    /// <summary>The files of a folder in name order (none when it does not exist).</summary>
    /// <param name="directory">The folder.</param>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];
}
