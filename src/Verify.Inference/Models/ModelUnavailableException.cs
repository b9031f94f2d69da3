namespace Verify.Inference.Models;

/// <summary>A model file is missing, differs from its manifest, or does not honour its declared contract.</summary>
public sealed class ModelUnavailableException(string modelId, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ModelId { get; } = modelId;
}
