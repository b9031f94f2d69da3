namespace Verify.Synthetic;

/// <summary>Seeds for independent random streams of one generated item, so that item <c>i</c> of a run depends only on the run seed and <c>i</c>.</summary>
internal static class RandomStreams
{
    /// <summary>
    /// SplitMix64 over (run seed, item index, stream number), as a non-negative int. HashCode is not used because it
    /// is randomised per process.
    /// </summary>
    public static int Seed(int runSeed, int index, int stream)
    {
        ulong z = ((ulong)(uint)runSeed << 32) ^ ((ulong)(uint)index << 8) ^ (uint)stream;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
