using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verify.Pipeline.Messaging;
using Verify.ServiceDefaults;
using YamlDotNet.RepresentationModel;

namespace Verify.UnitTests.Deployment;

/// <summary>
/// The deployment files in deploy/ (compose, Kubernetes, Dockerfiles) set only configuration keys the service binds,
/// probe the endpoints the hosts map, and scale the workers on the queues they consume.
/// </summary>
public sealed class DeploymentManifestTests
{
    /// <summary>Read by the host, the runtime or a native library directly, not through an options class.</summary>
    private static readonly HashSet<string> ReadDirectly = new(StringComparer.Ordinal)
    {
        "Urls",                        // the host's listening addresses (appsettings.json sets it for the API)
        "ASPNETCORE_ENVIRONMENT",
        "DOTNET_ENVIRONMENT",
        "DOTNET_RUNNING_IN_CONTAINER",
        "OMP_THREAD_LIMIT",            // libtesseract's OpenMP (TesseractNative.PrepareEnvironment)
        "VERIFY_MODELS_DIR",           // ModelStoreOptions' fallback
        "OTEL_EXPORTER_OTLP_ENDPOINT", // ServiceDefaults' standard OTLP endpoint
    };

    private readonly DeploymentFiles _files = DeploymentFiles.Load();

    [Fact]
    public void Every_configuration_key_the_deployment_sets_is_bound_by_an_options_class()
    {
        var variables = _files.EnvironmentVariables().ToList();
        var unknown = variables.Where(variable => !ReadDirectly.Contains(variable.Name) && !ConfigurationKeys.IsBound(variable.Name))
            .Select(variable => $"{variable.File}: {variable.Name}")
            .Distinct()
            .ToList();

        Assert.True(unknown.Count == 0, "Not a configuration key of the service: " + string.Join(", ", unknown));
        // Compose, ConfigMap, Secret, container env and Dockerfile ENV were all read.
        Assert.Contains(variables, variable => variable.File == "compose.yaml" && variable.Name == "Messaging__RabbitMqPassword");
        Assert.Contains(variables, variable => variable.File == "k8s/settings.yaml" && variable.Name == "Storage__Provider");
        Assert.Contains(variables, variable => variable.File == "k8s/secrets.example.yaml" && variable.Name == "Protection__Keys__k1");
        Assert.Contains(variables, variable => variable.File == "k8s/resources.yaml" && variable.Name == "Inference__IntraOpThreads");
        Assert.Contains(variables, variable => variable.File == "docker/worker.Dockerfile" && variable.Name == "Models__Directory");
    }

    [Fact]
    public void A_key_is_bound_only_when_its_section_and_every_segment_name_a_real_property()
    {
        Assert.True(ConfigurationKeys.OptionsClasses.Count >= 28, $"only {ConfigurationKeys.OptionsClasses.Count} options classes found");

        Assert.True(ConfigurationKeys.IsBound("Messaging__RabbitMqHost"));
        Assert.True(ConfigurationKeys.IsBound("messaging__rabbitmqhost"));
        Assert.True(ConfigurationKeys.IsBound("Protection__Keys__k1"));
        Assert.True(ConfigurationKeys.IsBound("Blobs__S3__Bucket"));
        Assert.True(ConfigurationKeys.IsBound("Documents__Mrz__PoolSize"));
        Assert.True(ConfigurationKeys.IsBound("Inference__Batching__Enabled"));
        Assert.True(ConfigurationKeys.IsBound("Upload__MaxFileBytes"));

        Assert.False(ConfigurationKeys.IsBound("Messaging__RabbitMqHots"));
        Assert.False(ConfigurationKeys.IsBound("Storage__Providr"));
        Assert.False(ConfigurationKeys.IsBound("Blobs__S3"));
        Assert.False(ConfigurationKeys.IsBound("Blobs__S3__Bucket__Name"));
        Assert.False(ConfigurationKeys.IsBound("Protection__Keys"));
        Assert.False(ConfigurationKeys.IsBound("Messaging__ProcessingLease"));
        Assert.False(ConfigurationKeys.IsBound("Documents__PoolSize"));
        Assert.False(ConfigurationKeys.IsBound("Mesaging__Queue"));
    }

    [Fact]
    public async Task Every_probe_asks_an_endpoint_the_hosts_map()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddHealthChecks();
        await using var app = builder.Build();
        app.MapHealthEndpoints();
        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => "/" + endpoint.RoutePattern.RawText!.TrimStart('/'))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["/health/live", "/health/ready"], mapped.Order(StringComparer.Ordinal));

        var containers = _files.VerifyContainers().ToList();
        Assert.Equal(["verify-api", "verify-worker-cpu", "verify-worker-gpu"], containers.Select(container => container.Deployment).Order(StringComparer.Ordinal));
        foreach (var (file, deployment, container) in containers)
        {
            foreach (string probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                string? path = DeploymentFiles.Scalar(container, probe, "httpGet", "path");
                Assert.True(path is not null && mapped.Contains(path), $"{file}: {deployment}'s {probe} asks {path ?? "nothing"}");
            }

            Assert.Equal("/health/live", DeploymentFiles.Scalar(container, "livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", DeploymentFiles.Scalar(container, "readinessProbe", "httpGet", "path"));
        }

        var composeChecks = _files.Documents.Where(document => DeploymentFiles.Node(document.Document, "services") is not null)
            .SelectMany(document => ((YamlMappingNode)DeploymentFiles.Node(document.Document, "services")!).Children)
            .Where(service => DeploymentFiles.Node(service.Value, "build") is not null)
            .Select(service => (Service: ((YamlScalarNode)service.Key).Value, Test: DeploymentFiles.Node(service.Value, "healthcheck", "test") as YamlSequenceNode))
            .ToList();
        Assert.NotEmpty(composeChecks);
        foreach (var (service, test) in composeChecks)
        {
            string? url = test?.Children.OfType<YamlScalarNode>().Select(part => part.Value).FirstOrDefault(part => part?.StartsWith("http", StringComparison.Ordinal) == true);
            Assert.True(url is not null && mapped.Contains(new Uri(url).AbsolutePath), $"compose.yaml: {service}'s health check asks {url ?? "nothing"}");
        }
    }

    [Fact]
    public void Each_worker_deployment_scales_on_exactly_the_queues_its_kind_consumes()
    {
        var workers = _files.VerifyContainers().Where(container => container.Deployment.StartsWith("verify-worker", StringComparison.Ordinal)).ToList();
        var scaledObjects = _files.Objects("ScaledObject").ToDictionary(
            scaled => DeploymentFiles.Scalar(scaled.Object, "spec", "scaleTargetRef", "name")!,
            scaled => scaled.Object,
            StringComparer.Ordinal);
        var authentications = _files.Objects("TriggerAuthentication")
            .Select(authentication => DeploymentFiles.Scalar(authentication.Object, "metadata", "name")).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(workers);
        foreach (var (_, deployment, container) in workers)
        {
            string queueSetting = (DeploymentFiles.Node(container, "env") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>()
                .Where(variable => DeploymentFiles.Scalar(variable, "name") == "Messaging__Queue")
                .Select(variable => DeploymentFiles.Scalar(variable, "value")).SingleOrDefault() ?? nameof(WorkerQueue.Cpu);
            var kind = Enum.Parse<WorkerQueue>(queueSetting, ignoreCase: true);

            Assert.True(scaledObjects.TryGetValue(deployment, out var scaled), $"no ScaledObject targets {deployment}");
            var triggers = ((YamlSequenceNode)DeploymentFiles.Node(scaled, "spec", "triggers")!).Children.OfType<YamlMappingNode>().ToList();
            Assert.All(triggers, trigger =>
            {
                Assert.Equal("rabbitmq", DeploymentFiles.Scalar(trigger, "type"));
                Assert.Equal("QueueLength", DeploymentFiles.Scalar(trigger, "metadata", "mode"));
                Assert.Contains(DeploymentFiles.Scalar(trigger, "authenticationRef", "name"), authentications);
            });
            Assert.Equal(
                new[] { MessagingOptions.QueueName(kind), MessagingOptions.ReportQueueName(kind) }.Order(StringComparer.Ordinal),
                triggers.Select(trigger => DeploymentFiles.Scalar(trigger, "metadata", "queueName")).Order(StringComparer.Ordinal));
        }
    }
}
