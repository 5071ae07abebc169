using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitoring.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class IncidentWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "incident_notes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<long>(type: "INTEGER", nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    AtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_notes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_incident_notes_incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "incident_services",
                columns: table => new
                {
                    IncidentId = table.Column<long>(type: "INTEGER", nullable: false),
                    ServiceId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_services", x => new { x.IncidentId, x.ServiceId });
                    table.ForeignKey(
                        name: "FK_incident_services_incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_incident_services_services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "incident_updates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<long>(type: "INTEGER", nullable: false),
                    AtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FromValue = table.Column<string>(type: "TEXT", nullable: true),
                    ToValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_updates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_incident_updates_incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_incident_notes_IncidentId_AtMs",
                table: "incident_notes",
                columns: new[] { "IncidentId", "AtMs" });

            migrationBuilder.CreateIndex(
                name: "IX_incident_services_ServiceId",
                table: "incident_services",
                column: "ServiceId");

            migrationBuilder.CreateIndex(
                name: "IX_incident_updates_IncidentId_AtMs",
                table: "incident_updates",
                columns: new[] { "IncidentId", "AtMs" });

            // Backfill: every automatic incident covers its own service (kept by hand: re-add when regenerating).
            migrationBuilder.Sql("INSERT OR IGNORE INTO incident_services (IncidentId, ServiceId) SELECT Id, ServiceId FROM incidents WHERE ServiceId IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incident_notes");

            migrationBuilder.DropTable(
                name: "incident_services");

            migrationBuilder.DropTable(
                name: "incident_updates");
        }
    }
}
