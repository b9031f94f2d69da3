using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UniqueDocumentFingerprints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_document_fingerprints_Value",
                table: "document_fingerprints");

            migrationBuilder.Sql(Verify.Data.Entities.DocumentFingerprintMigrationSql.KeepFirstRowPerDocument);

            migrationBuilder.CreateIndex(
                name: "IX_document_fingerprints_KeyId_Value",
                table: "document_fingerprints",
                columns: new[] { "KeyId", "Value" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_document_fingerprints_KeyId_Value",
                table: "document_fingerprints");

            migrationBuilder.CreateIndex(
                name: "IX_document_fingerprints_Value",
                table: "document_fingerprints",
                column: "Value");
        }
    }
}
