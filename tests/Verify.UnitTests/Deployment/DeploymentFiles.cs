using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Verify.UnitTests.Deployment;

/// <summary>The files under deploy/: the compose file and the Kubernetes manifests as YAML documents, and the Dockerfiles.</summary>
internal sealed partial class DeploymentFiles
{
    /// <summary>Images built from this repository (deploy/docker): the containers whose environment is Verify's.</summary>
    private const string ImagePrefix = "verify-";

    private DeploymentFiles(string root, List<(string File, YamlMappingNode Document)> documents)
    {
        Root = root;
        Documents = documents;
    }

    public string Root { get; }

    /// <summary>Every YAML document under deploy/, with the file it came from (relative to deploy/).</summary>
    public IReadOnlyList<(string File, YamlMappingNode Document)> Documents { get; }

    public static DeploymentFiles Load()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Verify.sln")))
        {
            folder = folder.Parent;
        }

        string root = Path.Combine(folder?.FullName ?? throw new InvalidOperationException("Verify.sln not found above the test output"), "deploy");
        var documents = new List<(string, YamlMappingNode)>();
        foreach (string path in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            documents.AddRange(stream.Documents.Select(document => document.RootNode).OfType<YamlMappingNode>()
                .Select(node => (Path.GetRelativePath(root, path), node)));
        }

        return new DeploymentFiles(root, documents);
    }

    /// <summary>Kubernetes objects of one kind.</summary>
    public IEnumerable<(string File, YamlMappingNode Object)> Objects(string kind) =>
        Documents.Where(document => Scalar(document.Document, "kind") == kind);

    /// <summary>
    /// The containers of the Deployments that run a Verify image, with their Deployment's name; with
    /// <paramref name="withPatches"/>, also the containers of patches to those Deployments (kustomize patches name no image).
    /// </summary>
    public IEnumerable<(string File, string Deployment, YamlMappingNode Container)> VerifyContainers(bool withPatches = false)
    {
        var all = (from deployment in Objects("Deployment")
                   let containers = Node(deployment.Object, "spec", "template", "spec", "containers") as YamlSequenceNode
                   where containers is not null
                   from container in containers.Children.OfType<YamlMappingNode>()
                   select (deployment.File, Deployment: Scalar(deployment.Object, "metadata", "name")!, Container: container)).ToList();
        var verify = all.Where(RunsVerify).Select(container => container.Deployment).ToHashSet(StringComparer.Ordinal);
        return all.Where(container => withPatches ? verify.Contains(container.Deployment) : RunsVerify(container));

        static bool RunsVerify((string, string, YamlMappingNode Container) container) =>
            Scalar(container.Container, "image")?.StartsWith(ImagePrefix, StringComparison.Ordinal) == true;
    }

    /// <summary>
    /// Every environment variable the deployment gives a Verify process: the compose services built here (anchors and
    /// merge keys followed), the Kubernetes containers' env and the keys of the ConfigMaps and Secrets they take whole
    /// (envFrom), and the Dockerfiles' ENV.
    /// </summary>
    public IEnumerable<(string File, string Name)> EnvironmentVariables()
    {
        foreach (var (file, document) in Documents.Where(document => Node(document.Document, "services") is not null))
        {
            foreach (var service in ((YamlMappingNode)Node(document, "services")!).Children.Values.OfType<YamlMappingNode>())
            {
                if (Node(service, "build") is not null || Scalar(service, "image")?.StartsWith(ImagePrefix, StringComparison.Ordinal) == true)
                {
                    foreach (string name in ComposeEnvironment(Node(service, "environment")))
                    {
                        yield return (file, name);
                    }
                }
            }
        }

        var wholeObjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, _, container) in VerifyContainers(withPatches: true))
        {
            foreach (var variable in (Node(container, "env") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                yield return (file, Scalar(variable, "name")!);
            }

            foreach (var source in (Node(container, "envFrom") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                foreach (string reference in new[] { "configMapRef", "secretRef" })
                {
                    if (Node(source, reference, "name") is YamlScalarNode { Value: { } name })
                    {
                        wholeObjects.Add($"{(reference == "configMapRef" ? "ConfigMap" : "Secret")}/{name}");
                    }
                }
            }
        }

        foreach (var (file, document) in Objects("ConfigMap").Concat(Objects("Secret")))
        {
            if (wholeObjects.Contains($"{Scalar(document, "kind")}/{Scalar(Node(document, "metadata")!, "name")}"))
            {
                foreach (string dataField in new[] { "data", "stringData" })
                {
                    foreach (var key in (Node(document, dataField) as YamlMappingNode)?.Children.Keys.OfType<YamlScalarNode>() ?? [])
                    {
                        yield return (file, key.Value!);
                    }
                }
            }
        }

        foreach (string path in Directory.EnumerateFiles(Path.Combine(Root, "docker"), "*.Dockerfile"))
        {
            // An ENV instruction, continued over lines ending in a backslash: KEY=VALUE pairs.
            string text = File.ReadAllText(path).Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (Match instruction in EnvInstruction().Matches(text))
            {
                foreach (Match pair in EnvPair().Matches(instruction.Groups["pairs"].Value))
                {
                    yield return (Path.GetRelativePath(Root, path), pair.Groups["name"].Value);
                }
            }
        }
    }

    public static YamlNode? Node(YamlNode node, params string[] keys)
    {
        foreach (string key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static string? Scalar(YamlNode node, params string[] keys) => (Node(node, keys) as YamlScalarNode)?.Value;

    private static IEnumerable<string> ComposeEnvironment(YamlNode? environment) => environment switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(entry => entry.Key is YamlScalarNode { Value: "<<" }
            ? entry.Value is YamlSequenceNode merged ? merged.Children.SelectMany(ComposeEnvironment) : ComposeEnvironment(entry.Value)
            : [((YamlScalarNode)entry.Key).Value!]),
        YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(item => item.Value!.Split('=')[0]),
        _ => [],
    };

    [GeneratedRegex(@"^ENV\s+(?<pairs>.+)$", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex EnvPair();
}
