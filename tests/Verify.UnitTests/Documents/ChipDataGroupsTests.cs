using System.Buffers.Binary;
using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Synthetic.Chip;

namespace Verify.UnitTests.Documents;

public sealed class ChipDataGroupsTests
{
    [Theory]
    [InlineData(MrzFormat.Td3, 2, 44)]
    [InlineData(MrzFormat.Td2, 2, 36)]
    [InlineData(MrzFormat.Td1, 3, 30)]
    public void Dg1_gives_mrz_lines_that_parse_to_the_identity(MrzFormat format, int lines, int length)
    {
        var identity = ChipTestData.Identity(format);
        var dg1 = ChipDataGroupEncoder.Dg1(MrzComposer.Compose(identity));

        var read = ChipDataGroups.ReadDg1Mrz(dg1);

        Assert.Equal(lines, read.Count);
        Assert.All(read, line => Assert.Equal(length, line.Length));
        Assert.Equal(MrzComposer.Compose(identity), read);
        var reading = MrzParser.Parse(read, ChipTestData.Today);
        Assert.NotNull(reading);
        Assert.True(reading.IsValid);
        Assert.Equal(format, reading.Format);
        Assert.Equal("ERIKSSON", reading.Surname);
        Assert.Equal("ANNA MARIA", reading.GivenNames);
        Assert.Equal(identity.DocumentNumber, reading.DocumentNumber.Value);
        Assert.Equal(identity.BirthDate, reading.BirthDate.Date);
        Assert.Equal(identity.ExpiryDate, reading.ExpiryDate.Date);
        Assert.Equal(identity.Nationality, reading.Nationality.Value);
        Assert.Equal("F", reading.Sex.Value);
    }

    [Fact]
    public void Dg2_round_trips_a_jpeg_face()
    {
        var face = ChipTestData.Face;

        var read = ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2(face));

        Assert.Equal(ChipImageFormat.Jpeg, read.Format);
        Assert.Equal(48, read.Width);
        Assert.Equal(64, read.Height);
        Assert.Equal(face.Image, read.Image);
        Assert.Equal(0xFF, read.Image[0]);
        Assert.Equal(0xD8, read.Image[1]);
    }

    [Fact]
    public void Dg2_round_trips_jpeg_2000_bytes_as_opaque()
    {
        var read = ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2(ChipTestData.Jpeg2000Face));

        Assert.Equal(ChipImageFormat.Jpeg2000, read.Format);
        Assert.Equal((240, 320), (read.Width, read.Height));
        Assert.Equal(ChipTestData.Jpeg2000Face.Image, read.Image);
        Assert.DoesNotContain("13", read.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dg1_truncated_at_every_length_is_malformed()
    {
        var dg1 = ChipDataGroupEncoder.Dg1(MrzComposer.Compose(ChipTestData.Identity()));

        for (var length = 0; length < dg1.Length; length++)
        {
            AssertFails(() => ChipDataGroups.ReadDg1Mrz(dg1.AsSpan(0, length)), ChipDataError.Dg1Malformed);
        }
    }

    [Fact]
    public void Dg2_truncated_at_every_length_is_malformed()
    {
        var dg2 = ChipDataGroupEncoder.Dg2(ChipTestData.Face);

        for (var length = 0; length < dg2.Length; length++)
        {
            AssertFails(() => ChipDataGroups.ReadDg2Face(dg2.AsSpan(0, length)), ChipDataError.Dg2Malformed);
        }
    }

    [Fact]
    public void Dg1_with_a_wrong_tag_a_wrong_length_or_a_foreign_character_is_malformed()
    {
        var dg1 = ChipDataGroupEncoder.Dg1(MrzComposer.Compose(ChipTestData.Identity()));

        AssertFails(() => ChipDataGroups.ReadDg1Mrz(With(dg1, 0, 0x62)), ChipDataError.Dg1Malformed);
        AssertFails(() => ChipDataGroups.ReadDg1Mrz(With(dg1, 3, 0x20)), ChipDataError.Dg1Malformed);
        AssertFails(() => ChipDataGroups.ReadDg1Mrz(With(dg1, 1, (byte)(dg1[1] + 1))), ChipDataError.Dg1Malformed);
        AssertFails(() => ChipDataGroups.ReadDg1Mrz([.. dg1, 0x00]), ChipDataError.Dg1Malformed);
        AssertFails(() => ChipDataGroups.ReadDg1Mrz(With(dg1, 10, (byte)'a')), ChipDataError.Dg1Malformed);
        AssertFails(() => ChipDataGroups.ReadDg1Mrz(ChipDataGroupEncoder.Dg1(["P<UTOERIKSSON"])), ChipDataError.Dg1Malformed);
    }

    [Fact]
    public void Dg2_with_a_wrong_tag_is_malformed()
    {
        var dg2 = ChipDataGroupEncoder.Dg2(ChipTestData.Face);

        AssertFails(() => ChipDataGroups.ReadDg2Face(With(dg2, 0, 0x76)), ChipDataError.Dg2Malformed);
        var group = dg2.AsSpan().IndexOf([(byte)0x7F, (byte)0x61]);
        AssertFails(() => ChipDataGroups.ReadDg2Face(With(dg2, group + 1, 0x62)), ChipDataError.Dg2Malformed);
        var record = dg2.AsSpan().IndexOf("FAC\0"u8);
        AssertFails(() => ChipDataGroups.ReadDg2Face(With(dg2, record, (byte)'X')), ChipDataError.Dg2Malformed);
        AssertFails(() => ChipDataGroups.ReadDg2Face(With(dg2, record + 4, (byte)'3')), ChipDataError.Dg2Malformed);
    }

    [Fact]
    public void Facial_record_lengths_past_the_data_are_malformed()
    {
        var record = ChipDataGroupEncoder.FacialRecord(ChipTestData.Face);

        var longRecord = (byte[])record.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(longRecord.AsSpan(8), (uint)record.Length + 1);
        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(longRecord)), ChipDataError.Dg2Malformed);

        var longBlock = (byte[])record.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(longBlock.AsSpan(14), (uint)record.Length - 13);
        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(longBlock)), ChipDataError.Dg2Malformed);

        var manyPoints = (byte[])record.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(manyPoints.AsSpan(18), ushort.MaxValue);
        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(manyPoints)), ChipDataError.Dg2Malformed);

        var unknownType = (byte[])record.Clone();
        unknownType[14 + 20 + 1] = 7;
        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(unknownType)), ChipDataError.Dg2Malformed);
    }

    [Fact]
    public void Dg2_without_a_face_has_no_image()
    {
        var empty = ChipDataGroupEncoder.FacialRecord(ChipTestData.Face with { Image = [] });
        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(empty)), ChipDataError.Dg2NoImage);

        var noFaces = ChipDataGroupEncoder.FacialRecord(ChipTestData.Face);
        noFaces[13] = 0;
        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(noFaces)), ChipDataError.Dg2NoImage);

        AssertFails(() => ChipDataGroups.ReadDg2Face(ChipDataGroupEncoder.Dg2FromRecord(noFaces, count: 0)), ChipDataError.Dg2NoImage);
    }

    [Fact]
    public void Oversized_data_groups_are_too_large()
    {
        AssertFails(() => ChipDataGroups.ReadDg1Mrz(new byte[ChipLimits.Dg1Bytes + 1]), ChipDataError.TooLarge);
        AssertFails(() => ChipDataGroups.ReadDg2Face(new byte[ChipLimits.Dg2Bytes + 1]), ChipDataError.TooLarge);
        AssertFails(() => ChipSecurityObject.Read(new byte[ChipLimits.SodBytes + 1]), ChipDataError.TooLarge);
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_chip_data_errors()
    {
        var random = new Random(18);
        var dg2 = ChipDataGroupEncoder.Dg2(ChipTestData.Face);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])dg2.Clone();
            mutated[random.Next(Math.Min(mutated.Length, 80))] = (byte)random.Next(256);
            try
            {
                ChipDataGroups.ReadDg2Face(mutated);
            }
            catch (ChipDataException)
            {
            }
        }
    }

    internal static void AssertFails(Action read, ChipDataError error)
    {
        var exception = Assert.Throws<ChipDataException>(read);
        Assert.Equal(error, exception.Error);
    }

    private static byte[] With(byte[] data, int index, byte value)
    {
        var copy = (byte[])data.Clone();
        copy[index] = value;
        return copy;
    }
}
