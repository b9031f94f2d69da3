namespace Verify.Pipeline.Verification;

/// <summary>What processing a verification came to.</summary>
public enum ProcessOutcome
{
    /// <summary>This call decided the verification.</summary>
    Decided,

    /// <summary>It was already decided (a redelivered message, or another worker won the race): nothing changed.</summary>
    AlreadyDecided,

    /// <summary>Another delivery holds it (processing under a lease that has not lapsed): this copy leaves it alone.</summary>
    InProgressElsewhere,

    /// <summary>No such verification (deleted with the subject's biometrics).</summary>
    NotFound,
}
