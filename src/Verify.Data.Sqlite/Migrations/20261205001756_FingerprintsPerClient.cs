using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FingerprintsPerClient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_document_fingerprints_Value",
                table: "document_fingerprints");

            migrationBuilder.AddColumn<string>(
                name: "ClientId",
                table: "document_fingerprints",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Fingerprints take their verification's client; of several rows of one document per client the oldest stays.
            migrationBuilder.Sql(MigrationSql.FingerprintsPerClient);

            migrationBuilder.CreateIndex(
                name: "IX_document_fingerprints_KeyId_ClientId_Value",
                table: "document_fingerprints",
                columns: new[] { "KeyId", "ClientId", "Value" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_document_fingerprints_KeyId_ClientId_Value",
                table: "document_fingerprints");

            migrationBuilder.DropColumn(
                name: "ClientId",
                table: "document_fingerprints");

            migrationBuilder.CreateIndex(
                name: "IX_document_fingerprints_Value",
                table: "document_fingerprints",
                column: "Value");
        }
    }
}
