namespace Verify.Cli.Fuzzing;

/// <summary>
/// Runs one fuzz input on a thread of its own and waits at most the per-input timeout: an input still running then is
/// a hang, and its thread (a background thread) is left behind rather than waited for.
/// </summary>
internal static class Watchdog
{
    // Native decoders recurse; give them the main thread's usual stack rather than the smaller default.
    private const int StackBytes = 8 * 1024 * 1024;

    /// <summary>The outcome <paramref name="classify"/> returned, or <see cref="FuzzTally.Hang"/> past <paramref name="timeout"/>.</summary>
    public static string Run(Func<string> classify, TimeSpan timeout)
    {
        string? outcome = null;
        var thread = new Thread(() => outcome = classify(), StackBytes) { IsBackground = true, Name = "fuzz-input" };
        thread.Start();
        return thread.Join(timeout) ? outcome ?? FuzzTally.Hang : FuzzTally.Hang;
    }
}
