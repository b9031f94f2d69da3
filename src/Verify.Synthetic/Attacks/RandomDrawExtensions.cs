namespace Verify.Synthetic.Attacks;

/// <summary>The draws the attack simulator makes from its random source.</summary>
internal static class RandomDrawExtensions
{
    /// <summary>A value drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double Uniform(this Random random, double min, double max) => min + ((max - min) * random.NextDouble());

    /// <summary>A value drawn uniformly from [-<paramref name="limit"/>, <paramref name="limit"/>).</summary>
    public static double Symmetric(this Random random, double limit) => random.Uniform(-limit, limit);

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;
}
