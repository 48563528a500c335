using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleverSyncSOS.Migrations.SqlServer.SessionDb
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
                type: "bit",
                nullable: false,
                defaultValue: false);

            // Holds recorded before this column existed were known by the guard's message only.
            migrationBuilder.Sql("UPDATE [SyncHistory] SET [DeletionsHeld] = CAST(1 AS bit) WHERE [ErrorMessage] LIKE N'Mass-deletion guard%'");

            migrationBuilder.CreateTable(
                name: "SyncFailedRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SyncId = table.Column<int>(type: "int", nullable: false),
                    CleverId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false)
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
