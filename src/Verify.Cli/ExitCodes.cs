namespace Verify.Cli;

/// <summary>
/// Exit codes of `verify` (documented in `verify --help` and the README). `compare` and `read-document` report
/// their outcome through them so that scripts can act on it.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success; for compare: the two faces are the same person.</summary>
    public const int Success = 0;

    /// <summary>compare: the two faces are different people.</summary>
    public const int NoMatch = 1;

    /// <summary>read-document: the MRZ was read but is invalid or a finding rejects the document (the same negative outcome as <see cref="NoMatch"/>).</summary>
    public const int DocumentRejected = 1;

    /// <summary>audit verify: the audit chain is broken (the output names the first broken row).</summary>
    public const int AuditBroken = 1;

    /// <summary>The command line is wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>compare: at least one image shows no face.</summary>
    public const int NoFace = 3;

    /// <summary>read-document: no MRZ was found, or it could not be read (the counterpart of <see cref="NoFace"/>).</summary>
    public const int NoMrz = 3;

    /// <summary>An input could not be read: missing file, unsupported format, corrupt or too large image; audit verify: no database or keys.</summary>
    public const int BadInput = 4;

    /// <summary>A model is missing, fails its checksum, or has no calibrated threshold: run scripts/bootstrap.sh.</summary>
    public const int ModelsUnavailable = 5;

    /// <summary>fuzz-decoders: an input threw an untyped exception or ran past the per-input timeout.</summary>
    public const int FuzzFailures = 6;

    /// <summary>load: a submission was not accepted, not decided, or not decided exactly once (a decision changed, a command or event twice).</summary>
    public const int LoadCheckFailed = 7;

    public const string Summary =
        "Exit codes: 0 success (compare: same person; read-document: valid document; audit verify: chain intact), 1 negative " +
        "outcome (different people; rejected document; broken audit chain), 2 usage error, 3 nothing to read (no face found; no MRZ found), 4 unreadable input, 5 models unavailable, 6 fuzz-decoders found an untyped exception or a hang, " +
        "7 load found a submission not decided exactly once.";
}
