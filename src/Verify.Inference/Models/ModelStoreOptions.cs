namespace Verify.Inference.Models;

/// <summary>Where the model manifests and the model files are.</summary>
public sealed class ModelStoreOptions
{
    public const string SectionName = "Models";

    /// <summary>Folder of *.model.json manifests; default: the models folder copied beside the binaries.</summary>
    public string? ManifestDirectory { get; set; }

    /// <summary>
    /// Folder of the model files; default: $VERIFY_MODELS_DIR, else the nearest .deps/models above the
    /// binaries (a checkout set up by scripts/bootstrap.sh), else a models folder beside the binaries.
    /// </summary>
    public string? Directory { get; set; }

    internal string ResolveManifestDirectory() =>
        ManifestDirectory is { Length: > 0 } configured ? Path.GetFullPath(configured) : Path.Combine(AppContext.BaseDirectory, "models");

    internal string ResolveModelDirectory()
    {
        if (Directory is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        if (Environment.GetEnvironmentVariable("VERIFY_MODELS_DIR") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, ".deps", "models");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "models");
    }
}
