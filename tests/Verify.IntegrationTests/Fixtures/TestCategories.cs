namespace Verify.IntegrationTests.Fixtures;

/// <summary>
/// The "Category" trait of every integration test class, so a developer can choose what to run (dotnet test --filter
/// Category=Web): scripts/test.sh runs all of them, scripts/test-fast.sh the unit tests and <see cref="Web"/>.
/// </summary>
internal static class TestCategories
{
    public const string Name = "Category";

    /// <summary>Real components in-process: the models and native libraries (ONNX Runtime, Tesseract, the image codecs, SQLite), the CLI and the generator; no server.</summary>
    public const string Model = "Model";

    /// <summary>The service in-process (embedded mode: SQLite, in-memory bus, local blobs) over HTTP with the real models; no server.</summary>
    public const string Web = "Web";

    /// <summary>Starts PostgreSQL, RabbitMQ or the S3-compatible server on 127.0.0.1 (scripts/postgres.sh, rabbitmq.sh, s3.sh).</summary>
    public const string Distributed = "Distributed";

    /// <summary>A real browser (Debian's Chromium through Playwright) against the service on a 127.0.0.1 port.</summary>
    public const string Browser = "Browser";

    /// <summary>Runs the project's shell scripts (model fetching).</summary>
    public const string Script = "Script";
}
