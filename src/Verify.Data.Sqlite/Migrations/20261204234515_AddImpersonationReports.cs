using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddImpersonationReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "impersonation_reports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReportedAccountId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ClaimedSubjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RequestHash = table.Column<byte[]>(type: "BLOB", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ImageCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FacesFound = table.Column<int>(type: "INTEGER", nullable: true),
                    TemplatesCompared = table.Column<int>(type: "INTEGER", nullable: false),
                    BestSimilarity = table.Column<double>(type: "REAL", nullable: true),
                    MatchThreshold = table.Column<double>(type: "REAL", nullable: true),
                    LikelyNotBelow = table.Column<double>(type: "REAL", nullable: true),
                    ModelId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ModelVersion = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Suggestion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ImagesDeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_impersonation_reports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_impersonation_reports_ClaimedSubjectId",
                table: "impersonation_reports",
                column: "ClaimedSubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_impersonation_reports_ClientId_IdempotencyKey",
                table: "impersonation_reports",
                columns: new[] { "ClientId", "IdempotencyKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "impersonation_reports");
        }
    }
}
