"""The report benchmark keeps its own section of docs/benchmarks.md and leaves the others alone."""

from techbridge.reports.bench import SECTION_TITLE, write_docs


def test_bench_write_docs_replaces_only_its_own_section(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# Benchmarks\n\n## Imports\n\nfast\n\n{SECTION_TITLE}\n\nold figures\n\n## Matching\n\nok\n")
    write_docs(path=path, text="new figures")
    text = path.read_text()
    assert "old figures" not in text and "new figures" in text
    assert "## Imports\n\nfast" in text and "## Matching\n\nok" in text


def test_bench_write_docs_keeps_one_subsection_per_database(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(f"# Benchmarks\n\n{SECTION_TITLE}\n\nold\n\n## Matching\n\nok\n")
    write_docs(path=path, text="sqlite figures", database="SQLite")
    write_docs(path=path, text="postgres figures", database="PostgreSQL")
    write_docs(path=path, text="new sqlite figures", database="SQLite")
    text = path.read_text()
    section = text.split(SECTION_TITLE)[1].split("\n## ")[0]
    assert "### SQLite\n\nnew sqlite figures" in section and "### PostgreSQL\n\npostgres figures" in section
    assert section.index("### SQLite") < section.index("### PostgreSQL")
    assert "\nold\n" not in section and "\n## Matching\n\nok" in text
