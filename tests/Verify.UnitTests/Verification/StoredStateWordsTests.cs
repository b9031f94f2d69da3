using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Verify.Data;
using Verify.Data.Entities;
using Verify.UnitTests.Fakes;

namespace Verify.UnitTests.Verification;

/// <summary>The database stores the API's word for each state, and the migration rewrites rows stored before it.</summary>
public sealed class StoredStateWordsTests
{
    [Theory]
    [InlineData(VerificationState.Queued)]
    [InlineData(VerificationState.Processing)]
    [InlineData(VerificationState.Verified)]
    [InlineData(VerificationState.Rejected)]
    [InlineData(VerificationState.NeedsReview)]
    public async Task The_state_column_holds_the_api_word_and_reads_back_as_the_state(VerificationState state)
    {
        await using var store = await SqliteTestStore.CreateAsync();
        var verification = await store.AddVerificationAsync(state: state);

        await using var db = store.CreateDbContext();
        string stored = await db.Database.SqlQueryRaw<string>("SELECT \"State\" AS \"Value\" FROM verifications").SingleAsync();

        Assert.Equal(VerificationStateWords.Of(state), stored);
        Assert.Equal(state, (await db.Verifications.SingleAsync(v => v.Id == verification.Id && v.State == state)).State);
    }

    [Fact]
    public void A_row_written_by_the_previous_version_reads_back_and_nothing_else_does()
    {
        Assert.All(Enum.GetValues<VerificationState>(), state =>
        {
            Assert.Equal(state, VerificationStateWords.Parse(VerificationStateWords.Of(state)));
            Assert.Equal(state, VerificationStateWords.Parse(state.ToString()));
        });
        Assert.Throws<FormatException>(() => VerificationStateWords.Parse("4"));
        Assert.Throws<FormatException>(() => VerificationStateWords.Parse("needsreview"));
        Assert.Throws<FormatException>(() => VerificationStateWords.Parse(""));
    }

    [Fact]
    public async Task Rows_stored_with_the_enum_names_are_rewritten_by_the_migration()
    {
        await using var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<VerifyDbContext>()
            .UseSqlite(connection, sqlite => sqlite.MigrationsAssembly("Verify.Data.Sqlite")).Options;
        await using (var db = new VerifyDbContext(options))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261122023957_AddLivenessChallenges");
            var now = SqliteTestStore.Start.UtcDateTime;
            foreach (var state in Enum.GetValues<VerificationState>())
            {
                await LegacyRows.AddVerificationAsync(db, "client-a", "subject-1", VerificationStateWords.Of(state), now);
            }

            // As the model before this change wrote them: the enum member names.
            foreach (var state in Enum.GetValues<VerificationState>())
            {
                string name = state.ToString(), word = VerificationStateWords.Of(state);
                await db.Database.ExecuteSqlAsync($"UPDATE verifications SET \"State\" = {name} WHERE \"State\" = {word}");
            }

            await migrator.MigrateAsync();
        }

        await using var after = new VerifyDbContext(options);
        var stored = await after.Database.SqlQueryRaw<string>("SELECT \"State\" AS \"Value\" FROM verifications").ToListAsync();
        Assert.Equal(Enum.GetValues<VerificationState>().Select(VerificationStateWords.Of).Order(), stored.Order());
        Assert.Equal(Enum.GetValues<VerificationState>().Order(), (await after.Verifications.Select(v => v.State).ToListAsync()).Order());
    }
}
