"""`## ` sections of a Markdown page that more than one bench writes (docs/COMPATIBILITY.md).

Each bench replaces its own sections and keeps the others as they are, so
running one bench never drops another's recorded table.
"""

from __future__ import annotations


def sections(page: str) -> dict[str, str]:
    """Heading line -> the section's text (heading included, to the next `## ` or the end)."""
    found: dict[str, str] = {}
    parts = ("\n" + page).split("\n## ")[1:]
    for part in parts:
        heading = "## " + part.split("\n", 1)[0]
        found[heading] = ("## " + part).rstrip("\n") + "\n"
    return found


def replace_section(page: str, heading: str, text: str) -> str:
    """PAGE with the section under HEADING replaced by TEXT (appended when it has none)."""
    start = page.find(heading + "\n")
    if start < 0 or (start > 0 and page[start - 1] != "\n"):
        return page.rstrip("\n") + "\n\n" + text
    end = page.find("\n## ", start + len(heading))
    rest = page[end + 1 :] if end >= 0 else ""
    return page[:start] + text.rstrip("\n") + "\n" + ("\n" + rest if rest else "")


def other_sections(page: str, own: set[str]) -> str:
    """The sections of PAGE whose headings are not in OWN, in order, for a bench to keep."""
    kept = [text for heading, text in sections(page).items() if heading not in own]
    return "\n".join(kept)
