using System.Security.Cryptography;
using Verify.Data.Audit;
using Verify.Data.Entities;
using Verify.Data.Protection;

namespace Verify.UnitTests.Audit;

/// <summary>What an audit row's seal covers: every chained field, but not the subject id or its salt (erasable).</summary>
public sealed class AuditRowMacTests
{
    private readonly AuditRowMac _mac = new(ProtectionKeyRing.Create(new ProtectionOptions
    {
        Keys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
        FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }));

    public static TheoryData<string> ChainedFields => ["Sequence", "At", "Actor", "Action", "ClientId", "Detail", "VerificationId", "SubjectDigest", "PreviousHash", "SealKeyId"];

    [Theory]
    [MemberData(nameof(ChainedFields))]
    public void Changing_a_chained_field_changes_the_seal(string field)
    {
        var row = Row();
        byte[] seal = _mac.Compute(row);

        Change(row, field);

        Assert.NotEqual(seal, _mac.Compute(row));
    }

    [Fact]
    public void Erasing_the_subject_id_and_salt_leaves_the_seal_as_it_was()
    {
        var row = Row();
        row.Hash = _mac.Compute(row);

        row.SubjectId = null;
        row.SubjectSalt = null;

        Assert.True(_mac.Matches(row));
    }

    [Fact]
    public void A_field_moved_into_its_neighbour_does_not_keep_the_seal()
    {
        // Length prefixes: "ab" + "c" must not seal like "a" + "bc".
        var row = Row();
        (row.Actor, row.Action) = ("key-a", "verification.submitted");
        byte[] seal = _mac.Compute(row);

        (row.Actor, row.Action) = ("key-averification", ".submitted");

        Assert.NotEqual(seal, _mac.Compute(row));
    }

    [Fact]
    public void The_key_id_names_the_key_without_being_it()
    {
        Assert.Matches("^[0-9a-f]{16}$", _mac.KeyId);
        Assert.NotEqual(_mac.KeyId, new AuditRowMac(ProtectionKeyRing.Create(new ProtectionOptions
        {
            Keys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        })).KeyId);
    }

    private AuditEvent Row()
    {
        var row = new AuditEvent
        {
            Sequence = 7, At = new DateTime(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc), Actor = "key-a", Action = "verification.submitted",
            ClientId = "client-a", Detail = "reason", VerificationId = Guid.NewGuid(), SubjectId = "subject-1",
            PreviousHash = RandomNumberGenerator.GetBytes(32), SealKeyId = _mac.KeyId,
        };
        AuditSubjects.Link(row);
        return row;
    }

    private static void Change(AuditEvent row, string field)
    {
        switch (field)
        {
            case "Sequence": row.Sequence++; break;
            case "At": row.At = row.At.AddTicks(10); break;
            case "Actor": row.Actor = "key-b"; break;
            case "Action": row.Action = "biometrics.deleted"; break;
            case "ClientId": row.ClientId = null; break;
            case "Detail": row.Detail = "other"; break;
            case "VerificationId": row.VerificationId = Guid.NewGuid(); break;
            case "SubjectDigest": row.SubjectDigest = RandomNumberGenerator.GetBytes(32); break;
            case "PreviousHash": row.PreviousHash = null; break;
            default: row.SealKeyId = "0000000000000000"; break;
        }
    }
}
