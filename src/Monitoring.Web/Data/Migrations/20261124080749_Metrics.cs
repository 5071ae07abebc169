using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Metrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TimestampMs = table.Column<long>(type: "INTEGER", nullable: false),
                    EventType = table.Column<string>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", nullable: false),
                    Level = table.Column<string>(type: "TEXT", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: false),
                    TagsJson = table.Column<string>(type: "TEXT", nullable: false),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "metric_rollup_state",
                columns: table => new
                {
                    Level = table.Column<string>(type: "TEXT", nullable: false),
                    DoneUntilMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_rollup_state", x => x.Level);
                });

            migrationBuilder.CreateTable(
                name: "metric_series",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Service = table.Column<string>(type: "TEXT", nullable: false),
                    LabelsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_series", x => x.Id);
                });

            // WITHOUT ROWID: the (series, time) key is the table, so a raw sample costs its key and
            // value only (no rowid, no second index). EF Core cannot declare this, hence raw SQL.
            migrationBuilder.Sql("""
                CREATE TABLE "metric_samples" (
                    "SeriesId" INTEGER NOT NULL, "Ts" INTEGER NOT NULL, "Value" REAL NOT NULL,
                    CONSTRAINT "PK_metric_samples" PRIMARY KEY ("SeriesId", "Ts")) WITHOUT ROWID;
                """);
            foreach (var table in new[] { "metric_rollups_1m", "metric_rollups_1h" })
            {
                migrationBuilder.Sql($"""
                    CREATE TABLE "{table}" (
                        "SeriesId" INTEGER NOT NULL, "Ts" INTEGER NOT NULL, "Count" INTEGER NOT NULL,
                        "Sum" REAL NOT NULL, "Min" REAL NOT NULL, "Max" REAL NOT NULL, "Sketch" BLOB NOT NULL,
                        CONSTRAINT "PK_{table}" PRIMARY KEY ("SeriesId", "Ts")) WITHOUT ROWID;
                    """);
            }

            migrationBuilder.CreateIndex(
                name: "IX_events_EventType_TimestampMs",
                table: "events",
                columns: new[] { "EventType", "TimestampMs" });

            migrationBuilder.CreateIndex(
                name: "IX_events_Source_TimestampMs",
                table: "events",
                columns: new[] { "Source", "TimestampMs" });

            migrationBuilder.CreateIndex(
                name: "IX_events_TimestampMs",
                table: "events",
                column: "TimestampMs");

            migrationBuilder.CreateIndex(
                name: "IX_metric_series_Name_Service_LabelsJson",
                table: "metric_series",
                columns: new[] { "Name", "Service", "LabelsJson" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "metric_rollup_state");

            migrationBuilder.DropTable(
                name: "metric_rollups_1h");

            migrationBuilder.DropTable(
                name: "metric_rollups_1m");

            migrationBuilder.DropTable(
                name: "metric_samples");

            migrationBuilder.DropTable(
                name: "metric_series");
        }
    }
}
