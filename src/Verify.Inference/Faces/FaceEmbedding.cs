namespace Verify.Inference.Faces;

/// <summary>An L2-normalised face embedding and the version of the model that made it.</summary>
public sealed record FaceEmbedding(string ModelVersion, float[] Vector)
{
    /// <summary>
    /// Cosine similarity in [-1, 1]. Embeddings of different model versions live in different spaces and
    /// are never compared: that throws.
    /// </summary>
    public double CosineSimilarity(FaceEmbedding other)
    {
        if (!string.Equals(ModelVersion, other.ModelVersion, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot compare an embedding of {ModelVersion} with one of {other.ModelVersion}.");
        }

        return System.Numerics.Tensors.TensorPrimitives.Dot<float>(Vector, other.Vector);
    }

    /// <summary>Scales a raw model output to unit length.</summary>
    public static float[] Normalise(ReadOnlySpan<float> raw)
    {
        var vector = raw.ToArray();
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm<float>(vector);
        if (norm <= 0 || float.IsNaN(norm))
        {
            throw new InvalidOperationException("The model produced a zero or invalid embedding.");
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }
}
