using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SubjectLocksAndCommandLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseExpiresAt",
                table: "verifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RedriveCount",
                table: "verifications",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseExpiresAt",
                table: "impersonation_reports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RedriveCount",
                table: "impersonation_reports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "subjects",
                columns: table => new
                {
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects", x => new { x.ClientId, x.SubjectId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_verifications_LeaseExpiresAt",
                table: "verifications",
                column: "LeaseExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_impersonation_reports_LeaseExpiresAt",
                table: "impersonation_reports",
                column: "LeaseExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "subjects");

            migrationBuilder.DropIndex(
                name: "IX_verifications_LeaseExpiresAt",
                table: "verifications");

            migrationBuilder.DropIndex(
                name: "IX_impersonation_reports_LeaseExpiresAt",
                table: "impersonation_reports");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "verifications");

            migrationBuilder.DropColumn(
                name: "RedriveCount",
                table: "verifications");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "impersonation_reports");

            migrationBuilder.DropColumn(
                name: "RedriveCount",
                table: "impersonation_reports");
        }
    }
}
