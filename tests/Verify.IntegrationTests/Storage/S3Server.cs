using Amazon.S3;
using Verify.Data.Blobs;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Storage;

/// <summary>
/// A real S3-compatible server on 127.0.0.1 (s3rver, started by scripts/s3.sh, the script operators use to try the
/// S3 store); each user takes a key prefix of its own. scripts/test.sh stops the server when the run ends.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    // s3rver's fixed credentials. It refuses an unknown access key id, but does not check a SigV4 signature itself.
    private const string AccessKey = "S3RVER";

    public string ServiceUrl { get; private set; } = "";

    public string Bucket { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string output = (await Scripts.RunAsync("s3.sh", "start")).Trim().Split('\n')[^1];
        var fields = output.Split(' ').Select(field => field.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        ServiceUrl = fields["endpoint"];
        Bucket = fields["bucket"];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A fresh key prefix without '/': s3rver keeps keys with slashes in directories and removes a directory once it is
    /// empty, and two deletions racing there make it answer 500 for good (AWS S3 has no directories). Slashes in the
    /// production prefix are fine; only this test server cannot take them under concurrent deletes.
    /// </summary>
    public static string Prefix(string user) => $"{user}-{Guid.NewGuid():N}-";

    /// <summary>Settings for the S3 blob store under <paramref name="prefix"/>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string prefix, string accessKeyId = AccessKey) =>
    [
        new("Blobs:Store", nameof(BlobContentStore.S3)),
        new("Blobs:S3:ServiceUrl", ServiceUrl),
        new("Blobs:S3:Bucket", Bucket),
        new("Blobs:S3:Prefix", prefix),
        new("Blobs:S3:AccessKeyId", accessKeyId),
        new("Blobs:S3:SecretAccessKey", AccessKey),
    ];

    /// <summary>A client of its own, to look at the bucket the way an operator would.</summary>
    public AmazonS3Client Client() => new(AccessKey, AccessKey, new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
    });
}
