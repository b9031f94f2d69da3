using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Verify.Inference.Models;

/// <summary>
/// The model manifests and the files they describe. A file is handed out only once its size and sha256
/// match the manifest; the check runs once per file and process.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelManifest> _manifests;
    private readonly ConcurrentDictionary<string, Lazy<string>> _verified = new(StringComparer.Ordinal);

    public ModelCatalog(ModelStoreOptions options)
        : this(options.ResolveManifestDirectory(), options.ResolveModelDirectory())
    {
    }

    public ModelCatalog(string manifestDirectory, string modelDirectory)
    {
        ManifestDirectory = manifestDirectory;
        ModelDirectory = modelDirectory;
        if (!Directory.Exists(manifestDirectory))
        {
            throw new DirectoryNotFoundException($"The model manifest folder {manifestDirectory} does not exist.");
        }

        _manifests = Directory.EnumerateFiles(manifestDirectory, "*.model.json")
            .Select(path => ModelManifest.Parse(File.ReadAllText(path), Path.GetFileName(path)))
            .ToDictionary(manifest => manifest.Id, StringComparer.Ordinal);
    }

    public string ManifestDirectory { get; }

    public string ModelDirectory { get; }

    public IReadOnlyCollection<ModelManifest> Manifests => _manifests.Values;

    public ModelManifest Get(string id) =>
        _manifests.TryGetValue(id, out var manifest)
            ? manifest
            : throw new ModelUnavailableException(id, $"No manifest for model '{id}'.",
                $"Manifest folder {ManifestDirectory}; known models: {string.Join(", ", _manifests.Keys.Order())}.");

    /// <summary>The full path of the model's file, verified against its manifest; throws <see cref="ModelUnavailableException"/>.</summary>
    public string VerifiedPath(string id)
    {
        var manifest = Get(id);
        var lazy = _verified.GetOrAdd(id, _ => new Lazy<string>(() => Verify(manifest)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed check is not cached: the file may be fetched or fixed while the process runs.
            _verified.TryRemove(new KeyValuePair<string, Lazy<string>>(id, lazy));
            throw;
        }
    }

    private string Verify(ModelManifest manifest)
    {
        string path = Path.Combine(ModelDirectory, manifest.File);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new ModelUnavailableException(manifest.Id, $"Model '{manifest.Id}' is missing.",
                manifest.Optional
                    ? $"{path} does not exist. '{manifest.Id}' is optional and has no public source: put it in a model mirror as {manifest.Source?.MirrorPath ?? manifest.File} and run VERIFY_MODEL_MIRROR=<mirror> VERIFY_OPTIONAL_MODELS={manifest.Id} scripts/fetch-models.sh, or place the file (sha256 {manifest.Sha256}) there yourself."
                    : $"{path} does not exist. Run scripts/fetch-models.sh (or scripts/bootstrap.sh).");
        }

        if (manifest.Size > 0 && file.Length != manifest.Size)
        {
            throw new ModelUnavailableException(manifest.Id, $"Model '{manifest.Id}' has the wrong size.",
                $"{path} has {file.Length} bytes; its manifest says {manifest.Size}. Fetch it again.");
        }

        string actual;
        try
        {
            using var stream = file.OpenRead();
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ModelUnavailableException(manifest.Id, $"Model '{manifest.Id}' cannot be read.", $"{path}: {exception.Message}", exception);
        }

        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelUnavailableException(manifest.Id, $"Model '{manifest.Id}' fails its checksum.",
                $"{path} has sha256 {actual}; its manifest says {manifest.Sha256}. Refusing to load it.");
        }

        return path;
    }
}
