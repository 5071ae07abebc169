using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChunkedSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ---- Hand-written (keep when regenerating): EF Core scaffolds DropTable("metric_samples"),
            // which would lose every stored sample. The table is renamed instead; at start
            // SampleStore.LoadAsync moves its rows into metric_chunks in bounded transactions and
            // then drops it (see docs/DECISIONS.md, "Chunked sample storage").
            migrationBuilder.Sql("""ALTER TABLE "metric_samples" RENAME TO "metric_samples_legacy";""");
            // ---- end of hand-written part

            migrationBuilder.CreateTable(
                name: "metric_chunks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SeriesId = table.Column<long>(type: "INTEGER", nullable: false),
                    StartTs = table.Column<long>(type: "INTEGER", nullable: false),
                    EndTs = table.Column<long>(type: "INTEGER", nullable: false),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_chunks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "metric_ingest_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_ingest_log", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_metric_chunks_SeriesId_StartTs",
                table: "metric_chunks",
                columns: new[] { "SeriesId", "StartTs" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_chunks");

            migrationBuilder.DropTable(
                name: "metric_ingest_log");

            // Hand-written: the table as the Metrics migration created it (WITHOUT ROWID); samples in chunks are not moved back.
            migrationBuilder.Sql("""
                CREATE TABLE "metric_samples" (
                    "SeriesId" INTEGER NOT NULL, "Ts" INTEGER NOT NULL, "Value" REAL NOT NULL,
                    CONSTRAINT "PK_metric_samples" PRIMARY KEY ("SeriesId", "Ts")) WITHOUT ROWID;
                """);
        }
    }
}
