using System.Security.Cryptography;
using System.Text;

namespace Verify.Pipeline.Submissions;

/// <summary>
/// SHA-256 over a request's fields and images, so that a retry under one Idempotency-Key is told apart from another
/// request under the same key. Each image counts by its label, its length and its own SHA-256.
/// </summary>
internal static class ContentHash
{
    public static byte[] Of(string fields, IEnumerable<(string Label, byte[] Bytes)> images)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(fields));
        foreach (var (label, bytes) in images)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{label}:{bytes.Length}\n"));
            hash.AppendData(SHA256.HashData(bytes));
        }

        return hash.GetHashAndReset();
    }
}
