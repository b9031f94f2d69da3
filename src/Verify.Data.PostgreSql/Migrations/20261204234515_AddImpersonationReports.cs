using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.PostgreSql.Migrations
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReportedAccountId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ClaimedSubjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    RequestHash = table.Column<byte[]>(type: "bytea", nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ImageCount = table.Column<int>(type: "integer", nullable: false),
                    FacesFound = table.Column<int>(type: "integer", nullable: true),
                    TemplatesCompared = table.Column<int>(type: "integer", nullable: false),
                    BestSimilarity = table.Column<double>(type: "double precision", nullable: true),
                    MatchThreshold = table.Column<double>(type: "double precision", nullable: true),
                    LikelyNotBelow = table.Column<double>(type: "double precision", nullable: true),
                    ModelId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ModelVersion = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Suggestion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ImagesDeletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
