"""`.env.example` documents every variable of the README's configuration table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def configuration_table_variables() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])]


def test_the_readme_table_is_found_and_read():
    variables = configuration_table_variables()
    assert "SECRET_KEY" in variables
    assert "EMAIL_HOST_PASSWORD" in variables  # a row naming two variables
    assert len(variables) > 40


def test_every_variable_of_the_table_has_its_line_in_env_example():
    example = (ROOT / ".env.example").read_text()
    missing = [
        name
        for name in configuration_table_variables()
        if not re.search(rf"^(# )?{name}=", example, re.MULTILINE)
    ]
    assert missing == []


def test_each_line_of_env_example_follows_a_comment_explaining_it():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^(# )?[A-Z][A-Z0-9_]+=", line):
            previous = lines[number - 1]
            assert previous.startswith("#"), line
