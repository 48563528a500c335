using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleverSyncSOS.Migrations.Sqlite.SessionDb
{
    /// <inheritdoc />
    public partial class SyncHistoryDeletionsHeldAndFailedRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DeletionsHeld",
                table: "SyncHistory",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Holds recorded before this column existed were known by the guard's message only.
            migrationBuilder.Sql("UPDATE \"SyncHistory\" SET \"DeletionsHeld\" = 1 WHERE \"ErrorMessage\" LIKE 'Mass-deletion guard%'");

            migrationBuilder.CreateTable(
                name: "SyncFailedRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SyncId = table.Column<int>(type: "INTEGER", nullable: false),
                    CleverId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncFailedRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncFailedRecords_SyncHistory_SyncId",
                        column: x => x.SyncId,
                        principalTable: "SyncHistory",
                        principalColumn: "SyncId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncFailedRecords_SyncId",
                table: "SyncFailedRecords",
                column: "SyncId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncFailedRecords");

            migrationBuilder.DropColumn(
                name: "DeletionsHeld",
                table: "SyncHistory");
        }
    }
}
