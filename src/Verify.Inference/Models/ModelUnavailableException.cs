namespace Verify.Inference.Models;

/// <summary>A model file is missing, differs from its manifest, or does not honour its declared contract.</summary>
/// <param name="modelId">The manifest id (or matcher name) concerned.</param>
/// <param name="summary">One sentence without paths or checksums, fit for a public readiness probe.</param>
/// <param name="detail">What an operator needs to fix it: paths, checksums, the command to run.</param>
/// <param name="inner">The underlying fault, if any.</param>
public sealed class ModelUnavailableException(string modelId, string summary, string detail, Exception? inner = null)
    : Exception($"{summary} {detail}", inner)
{
    public string ModelId { get; } = modelId;

    /// <summary>The short, public form of the message.</summary>
    public string Summary { get; } = summary;
}
