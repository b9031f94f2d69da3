using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Verify.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class StoreStateWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The state column now holds the API's word for each state (VerificationStateWords); no schema change.
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'queued' WHERE \"State\" = 'Queued';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'processing' WHERE \"State\" = 'Processing';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'verified' WHERE \"State\" = 'Verified';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'rejected' WHERE \"State\" = 'Rejected';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'needs_review' WHERE \"State\" = 'NeedsReview';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'Queued' WHERE \"State\" = 'queued';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'Processing' WHERE \"State\" = 'processing';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'Verified' WHERE \"State\" = 'verified';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'Rejected' WHERE \"State\" = 'rejected';");
            migrationBuilder.Sql("UPDATE verifications SET \"State\" = 'NeedsReview' WHERE \"State\" = 'needs_review';");
        }
    }
}
