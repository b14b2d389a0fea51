"""Template hygiene that rendering tests would not notice."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
# Django's {# … #} comment ends at the end of the line: one opened and not closed on the
# same line is printed as text on the page.
UNCLOSED_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_no_template_has_a_short_comment_spanning_several_lines():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if UNCLOSED_COMMENT.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, "use {% comment %} for comments over several lines: " + ", ".join(
        offenders
    )


def test_the_home_page_shows_no_template_comment(client, db):
    from tests.public_site import seed_public_site

    seed_public_site()
    html = client.get("/").content.decode()
    assert "{#" not in html and "#}" not in html
