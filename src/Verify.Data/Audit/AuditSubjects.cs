using System.Security.Cryptography;
using System.Text;
using Verify.Data.Entities;

namespace Verify.Data.Audit;

/// <summary>
/// How an audit row names its subject for the chain: a per-row random salt and SHA-256 of salt and subject id. While the
/// salt is kept the digest can be checked against the subject id; once the subject is erased (id and salt set to null)
/// the digest links to nobody, and the chain, which covers the digest only, stays intact.
/// </summary>
public static class AuditSubjects
{
    public const int SaltLength = 16;

    /// <summary>Gives a row about <see cref="AuditEvent.SubjectId"/> its salt and digest, unless it has them already.</summary>
    public static void Link(AuditEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.SubjectId is { } subjectId && row.SubjectDigest is null)
        {
            row.SubjectSalt = RandomNumberGenerator.GetBytes(SaltLength);
            row.SubjectDigest = Digest(row.SubjectSalt, subjectId);
        }
    }

    /// <summary>Whether a row that still names its subject holds that subject's digest; a row with no subject id left matches.</summary>
    public static bool Matches(AuditEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.SubjectId is not { } subjectId
            || (row.SubjectSalt is { } salt && row.SubjectDigest is { } digest && CryptographicOperations.FixedTimeEquals(digest, Digest(salt, subjectId)));
    }

    private static byte[] Digest(byte[] salt, string subjectId)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(salt);
        hash.AppendData(Encoding.UTF8.GetBytes(subjectId));
        return hash.GetHashAndReset();
    }
}
