namespace Verify.Data.Entities;

/// <summary>
/// One row per subject and client, the thing an erasure and every commit that stores something biometric for the
/// subject serialise on (<see cref="SubjectLock"/>): each bumps <see cref="Version"/> as the first statement of its
/// transaction, so the row stays locked until it commits, and what it re-checks after that (the consent) cannot change
/// under it. Subject ids belong to a client: the same id in two clients is two rows, two subjects.
/// </summary>
public sealed class SubjectRecord
{
    public required string ClientId { get; set; }

    public required string SubjectId { get; set; }

    /// <summary>How many locked writes the subject has seen; only ever incremented, never read for a decision.</summary>
    public long Version { get; set; }
}
