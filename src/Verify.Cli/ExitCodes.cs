namespace Verify.Cli;

/// <summary>
/// Exit codes of `verify` (documented in `verify --help` and the README). `compare` reports its decision
/// through them so that scripts can act on it.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success; for compare: the two faces are the same person.</summary>
    public const int Success = 0;

    /// <summary>compare: the two faces are different people.</summary>
    public const int NoMatch = 1;

    /// <summary>The command line is wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>compare: at least one image shows no face.</summary>
    public const int NoFace = 3;

    /// <summary>An input could not be read: missing file, unsupported format, corrupt or too large image.</summary>
    public const int BadInput = 4;

    /// <summary>A model is missing, fails its checksum, or has no calibrated threshold: run scripts/bootstrap.sh.</summary>
    public const int ModelsUnavailable = 5;

    public const string Summary =
        "Exit codes: 0 same person (or success), 1 different people, 2 usage error, 3 no face found, " +
        "4 unreadable input, 5 models unavailable.";
}
