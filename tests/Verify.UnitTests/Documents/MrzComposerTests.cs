using Verify.Documents.Mrz;

namespace Verify.UnitTests.Documents;

public sealed class MrzComposerTests
{
    [Fact]
    public void Composes_the_ICAO_TD3_specimen()
    {
        var lines = MrzComposer.Compose(new MrzIdentity(
            MrzFormat.Td3, "P", "UTO", "Eriksson", "Anna Maria", "L898902C3", "UTO",
            new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2012, 4, 15), "ZE184226B"));

        Assert.Equal(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], lines);
    }

    [Fact]
    public void Composes_the_ICAO_TD1_specimen()
    {
        var lines = MrzComposer.Compose(new MrzIdentity(
            MrzFormat.Td1, "I", "UTO", "Eriksson", "Anna Maria", "D23145890", "UTO",
            new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2012, 4, 15)));

        Assert.Equal(
            ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
            lines);
    }

    [Fact]
    public void Composes_the_ICAO_TD2_specimen()
    {
        var lines = MrzComposer.Compose(new MrzIdentity(
            MrzFormat.Td2, "I", "UTO", "Eriksson", "Anna Maria", "D23145890", "UTO",
            new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2012, 4, 15)));

        Assert.Equal(["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"], lines);
    }

    [Theory]
    [InlineData("O'Brien", "OBRIEN")]
    [InlineData("Müller-Lüdenscheidt", "MUELLER<LUEDENSCHEIDT")]
    [InlineData("van der Berg", "VAN<DER<BERG")]
    [InlineData("Łukasz Żółć", "LUKASZ<ZOLC")]
    public void Names_are_transliterated_to_MRZ_characters(string name, string expected) =>
        Assert.Equal(expected, MrzComposer.Transliterate(name));
}
