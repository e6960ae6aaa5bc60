#!/usr/bin/env python3
"""Writes a tool's man page: the hand-written page (NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS,
ENVIRONMENT) with an OPTIONS section generated from the tool's own --help, subcommand by
subcommand, so the option lists cannot drift from the CLI definitions.

    generate.py TOOL_BINARY PAGE.1 OUT.1

The page's line `.\\" OPTIONS` marks where the generated section goes."""
import re
import subprocess
import sys

MARKER = '.\\" OPTIONS'


def help_text(binary, path):
    return subprocess.run([binary, *path, "--help"], capture_output=True, text=True, check=True).stdout


def entries(text, heading):
    """The (term, description) pairs under HEADING: in CLI11's help ("Options:", "Subcommands:")."""
    out, inside = [], False
    for line in text.splitlines():
        if line.rstrip().endswith(":") and not line.startswith(" "):
            inside = line.strip() == heading
            continue
        if not inside or not line.strip():
            continue
        match = re.match(r"^  (\S.*?)(?:\s{2,}(.*))?$", line)
        if match and not line.startswith("   "):
            out.append([match.group(1).strip(), (match.group(2) or "").strip()])
        elif out:  # a description that goes on, or starts on the next line
            out[-1][1] = (out[-1][1] + " " + line.strip()).strip()
    return out


def roff(text):
    return text.replace("\\", "\\e").replace("-", "\\-").replace("'", "\\(aq")


def section(binary, tool, path):
    text = help_text(binary, path)
    lines = []
    subcommands = entries(text, "Subcommands:")
    options = [e for e in entries(text, "Options:") if not e[0].startswith("-h,--help")]
    positionals = entries(text, "Positionals:")
    if not subcommands or (path and (options or positionals)):
        if path:
            lines.append(".SS " + roff(" ".join([tool, *path])))
        for term, description in positionals + options:
            lines += [".TP", ".B " + roff(term), roff(description)]
    for name, _ in subcommands:
        lines += section(binary, tool, [*path, name.split()[0]])
    return lines


def main():
    binary, page, out = sys.argv[1:4]
    tool = binary.rsplit("/", 1)[-1]
    tool = {"wascc_cli": "wascc"}.get(tool, tool)
    source = open(page).read()
    if MARKER not in source:
        sys.exit(f"{page}: no line '{MARKER}' to put the options at")
    generated = "\n".join([".SH OPTIONS", f"Generated from {roff(tool)} \\-\\-help.", *section(binary, tool, [])])
    open(out, "w").write(source.replace(MARKER, generated))


if __name__ == "__main__":
    main()
