using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddLivenessChallenges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LivenessChallenge",
                table: "verifications",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "liveness_challenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NonceHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Instruction = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    VerificationId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_liveness_challenges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_liveness_challenges_ExpiresAt",
                table: "liveness_challenges",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_liveness_challenges_NonceHash",
                table: "liveness_challenges",
                column: "NonceHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "liveness_challenges");

            migrationBuilder.DropColumn(
                name: "LivenessChallenge",
                table: "verifications");
        }
    }
}
