using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CleverSyncSOS.Migrations.Sqlite.SchoolDb
{
    /// <inheritdoc />
    public partial class AddSectionsCoursesTermsAndEnrollments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Courses",
                columns: table => new
                {
                    CourseId = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CleverCourseId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Number = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    DeactivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Courses", x => x.CourseId);
                });

            migrationBuilder.CreateTable(
                name: "SectionStudents",
                columns: table => new
                {
                    SectionStudentId = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EnrollmentKey = table.Column<string>(type: "TEXT", maxLength: 101, nullable: false),
                    CleverSectionId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CleverStudentId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    DeactivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SectionStudents", x => x.SectionStudentId);
                });

            migrationBuilder.CreateTable(
                name: "SectionTeachers",
                columns: table => new
                {
                    SectionTeacherId = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EnrollmentKey = table.Column<string>(type: "TEXT", maxLength: 101, nullable: false),
                    CleverSectionId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CleverTeacherId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    IsPrimary = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    DeactivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SectionTeachers", x => x.SectionTeacherId);
                });

            migrationBuilder.CreateTable(
                name: "Sections",
                columns: table => new
                {
                    SectionId = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CleverSectionId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    SectionNumber = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    SisId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CleverCourseId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CleverTermId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CleverPrimaryTeacherId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    LastModifiedInClever = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    DeactivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sections", x => x.SectionId);
                });

            migrationBuilder.CreateTable(
                name: "Terms",
                columns: table => new
                {
                    TermId = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CleverTermId = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    StartDate = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndDate = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    DeactivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Terms", x => x.TermId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Courses_CleverCourseId",
                table: "Courses",
                column: "CleverCourseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SectionStudents_CleverSectionId",
                table: "SectionStudents",
                column: "CleverSectionId");

            migrationBuilder.CreateIndex(
                name: "IX_SectionStudents_CleverStudentId",
                table: "SectionStudents",
                column: "CleverStudentId");

            migrationBuilder.CreateIndex(
                name: "IX_SectionStudents_EnrollmentKey",
                table: "SectionStudents",
                column: "EnrollmentKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SectionTeachers_CleverSectionId",
                table: "SectionTeachers",
                column: "CleverSectionId");

            migrationBuilder.CreateIndex(
                name: "IX_SectionTeachers_CleverTeacherId",
                table: "SectionTeachers",
                column: "CleverTeacherId");

            migrationBuilder.CreateIndex(
                name: "IX_SectionTeachers_EnrollmentKey",
                table: "SectionTeachers",
                column: "EnrollmentKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sections_CleverSectionId",
                table: "Sections",
                column: "CleverSectionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Terms_CleverTermId",
                table: "Terms",
                column: "CleverTermId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Courses");

            migrationBuilder.DropTable(
                name: "SectionStudents");

            migrationBuilder.DropTable(
                name: "SectionTeachers");

            migrationBuilder.DropTable(
                name: "Sections");

            migrationBuilder.DropTable(
                name: "Terms");
        }
    }
}
