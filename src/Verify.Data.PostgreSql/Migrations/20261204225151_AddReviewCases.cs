using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class AddReviewCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HeldForReview",
                table: "face_templates",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "review_cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Reasons = table.Column<List<string>>(type: "text[]", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimedBy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AssuranceLevel = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    BadgeExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FingerprintKeyId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Fingerprint = table.Column<byte[]>(type: "bytea", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    DecisionReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_cases", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_face_templates_VerificationId",
                table: "face_templates",
                column: "VerificationId");

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_DecidedAt_OpenedAt",
                table: "review_cases",
                columns: new[] { "DecidedAt", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_SubjectId",
                table: "review_cases",
                column: "SubjectId");

            // The verifications already waiting for a person become open cases, so the queue loses none of them.
            migrationBuilder.Sql(
                """
                INSERT INTO review_cases ("Id", "Kind", "ClientId", "SubjectId", "Reasons", "OpenedAt")
                SELECT "Id", 'verification', "ClientId", "SubjectId", "Reasons", "CompletedAt"
                FROM verifications WHERE "State" = 'needs_review' AND "CompletedAt" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "review_cases");

            migrationBuilder.DropIndex(
                name: "IX_face_templates_VerificationId",
                table: "face_templates");

            migrationBuilder.DropColumn(
                name: "HeldForReview",
                table: "face_templates");
        }
    }
}
