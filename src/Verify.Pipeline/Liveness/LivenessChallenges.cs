using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Verify.Data.Entities;

namespace Verify.Pipeline.Liveness;

/// <summary>What a liveness challenge asks the person to do while the selfie frames are taken.</summary>
public static class ChallengeInstructions
{
    public const string TurnLeft = "turn_left";
    public const string TurnRight = "turn_right";
    public const string LookUp = "look_up";

    public static IReadOnlyList<string> All { get; } = [TurnLeft, TurnRight, LookUp];
}

/// <summary>
/// Issues single-use liveness challenges: a random 256-bit nonce (shown once, stored only as its SHA-256) and a
/// randomly chosen instruction, valid for <see cref="LivenessOptions.ChallengeLifetime"/>.
/// </summary>
public sealed class LivenessChallenges(IOptions<LivenessOptions> options, TimeProvider time)
{
    /// <summary>Length of a nonce: 32 random bytes, base64url without padding.</summary>
    public const int NonceLength = 43;

    /// <summary>A new challenge for <paramref name="clientId"/> and its nonce, which exists nowhere else once returned.</summary>
    public (LivenessChallenge Challenge, string Nonce) Issue(string clientId)
    {
        string nonce = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        var challenge = new LivenessChallenge
        {
            Id = Guid.NewGuid(),
            ClientId = clientId,
            NonceHash = Hash(nonce),
            Instruction = ChallengeInstructions.All[RandomNumberGenerator.GetInt32(ChallengeInstructions.All.Count)],
            CreatedAt = now,
            ExpiresAt = now + options.Value.ChallengeLifetime,
        };
        return (challenge, nonce);
    }

    /// <summary>Whether <paramref name="nonce"/> has the form of an issued nonce (checked before any lookup).</summary>
    public static bool IsWellFormed(string nonce) =>
        nonce.Length == NonceLength && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static byte[] Hash(string nonce) => SHA256.HashData(Encoding.ASCII.GetBytes(nonce));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
