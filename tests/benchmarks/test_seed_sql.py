"""The benchmark's two seeders give row i the same project name: PostgreSQL's SQL and the Python of SQLite."""

from django.db import connection

from benchmarks import seed_sql

ROWS = [0, 6, 7, 8, 124_999, 125_007, 250_007, 999_999]


def test_project_names_hold_the_rare_word_in_8_rows_of_a_million():
    rare = [i for i in range(1_000_000) if seed_sql.RARE_PROJECT in seed_sql.project_name(i)]
    assert rare == [7 + 125_000 * k for k in range(8)]
    assert seed_sql.project_name(8) == "智能化生产线改造项目0000008"


def test_the_database_names_the_rows_as_the_python_seeder(postgres):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT g.i, {seed_sql.PROJECT_NAME_SQL} FROM unnest(%s::int[]) AS g(i)", [ROWS])  # noqa: S608
        assert dict(cursor.fetchall()) == {i: seed_sql.project_name(i) for i in ROWS}
