"""Join each entry's `#:` reference lines of a .po catalogue into one line, as `makemessages --no-wrap` writes
them with GNU gettext 0.22 and later; 0.21 wraps them whatever the option, and a catalogue refreshed on such a
machine differed from the committed one in a thousand lines of references. `make messages` runs it."""

import sys
from pathlib import Path


def join_references(text: str) -> str:
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#: ") and lines and lines[-1].startswith("#: "):
            lines[-1] = lines[-1].rstrip("\n") + " " + line[3:]
        else:
            lines.append(line)
    return "".join(lines)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(join_references(path.read_text(encoding="utf-8")), encoding="utf-8")
