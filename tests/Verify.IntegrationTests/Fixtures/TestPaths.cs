namespace Verify.IntegrationTests.Fixtures;

/// <summary>Where the checkout and the shared test data (read in place, never copied) are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>$VERIFY_TEST_DATA, else ../shared/data beside the checkout.</summary>
    public static string DataRoot { get; } = Environment.GetEnvironmentVariable("VERIFY_TEST_DATA") is { Length: > 0 } configured
        ? configured
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string LfwImages => Path.Combine(DataRoot, "lfw", "images");

    public static string LfwDevTest => Path.Combine(DataRoot, "lfw", "pairsDevTest.txt");

    /// <summary>An LFW photograph; fails with a clear message when the shared data is not there.</summary>
    public static string Lfw(string name, int number)
    {
        string path = Path.Combine(LfwImages, name, $"{name}_{number:D4}.jpg");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test data missing: {path}. The tests read LFW in place from ../shared/data (or $VERIFY_TEST_DATA).", path);
        }

        return path;
    }

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Verify.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside a Verify checkout (no Verify.sln above " + AppContext.BaseDirectory + ").");
    }
}
