using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleverSyncSOS.Migrations.PostgreSql.SchoolDb
{
    /// <inheritdoc />
    public partial class UnambiguousEnrollmentKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "EnrollmentKey",
                table: "SectionTeachers",
                type: "character varying(104)",
                maxLength: 104,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(101)",
                oldMaxLength: 101);

            migrationBuilder.AlterColumn<string>(
                name: "EnrollmentKey",
                table: "SectionStudents",
                type: "character varying(104)",
                maxLength: 104,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(101)",
                oldMaxLength: 101);

            migrationBuilder.AlterColumn<string>(
                name: "CleverId",
                table: "ChangeLog",
                type: "character varying(104)",
                maxLength: 104,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(101)",
                oldMaxLength: 101);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "EnrollmentKey",
                table: "SectionTeachers",
                type: "character varying(101)",
                maxLength: 101,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(104)",
                oldMaxLength: 104);

            migrationBuilder.AlterColumn<string>(
                name: "EnrollmentKey",
                table: "SectionStudents",
                type: "character varying(101)",
                maxLength: 101,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(104)",
                oldMaxLength: 104);

            migrationBuilder.AlterColumn<string>(
                name: "CleverId",
                table: "ChangeLog",
                type: "character varying(101)",
                maxLength: 101,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(104)",
                oldMaxLength: 104);
        }
    }
}
