using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReviewDecisionGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
