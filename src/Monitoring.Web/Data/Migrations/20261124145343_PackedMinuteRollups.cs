using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Web.Data.Migrations
{
    /// <summary>
    /// Minute rollups move from one row per (series, minute) to one packed row per (series, hour)
    /// (layout on <c>Metrics.RollupStore</c>). The old rows cannot be packed in SQL, so this keeps them
    /// as <c>metric_rollups_1m_legacy</c>; <c>RollupStore.ConvertLegacyMinuteRollupsAsync</c> packs them
    /// at start and drops that table. Everything here is raw SQL (WITHOUT ROWID, as in the Metrics
    /// migration); the lead may regenerate the EF part, but these statements must stay.
    /// </summary>
    public partial class PackedMinuteRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // --- raw SQL (keep when regenerating) ---
            migrationBuilder.Sql("""ALTER TABLE "metric_rollups_1m" RENAME TO "metric_rollups_1m_legacy";""");
            migrationBuilder.Sql("""
                CREATE TABLE "metric_rollups_1m" (
                    "SeriesId" INTEGER NOT NULL, "Ts" INTEGER NOT NULL, "Mask" INTEGER NOT NULL,
                    "Stats" BLOB NOT NULL, "Sketches" BLOB NOT NULL,
                    CONSTRAINT "PK_metric_rollups_1m" PRIMARY KEY ("SeriesId", "Ts")) WITHOUT ROWID;
                """);
            // --- end raw SQL ---
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Packed rows are not unpacked: going back starts the old table empty (the hour rollups stay).
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "metric_rollups_1m_legacy";""");
            migrationBuilder.Sql("""DROP TABLE "metric_rollups_1m";""");
            migrationBuilder.Sql("""
                CREATE TABLE "metric_rollups_1m" (
                    "SeriesId" INTEGER NOT NULL, "Ts" INTEGER NOT NULL, "Count" INTEGER NOT NULL,
                    "Sum" REAL NOT NULL, "Min" REAL NOT NULL, "Max" REAL NOT NULL, "Sketch" BLOB NOT NULL,
                    CONSTRAINT "PK_metric_rollups_1m" PRIMARY KEY ("SeriesId", "Ts")) WITHOUT ROWID;
                """);
        }
    }
}
