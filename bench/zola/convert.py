#!/usr/bin/env python3
"""Converts a hub written by examples/gen.rs into a Zola site, for bench/run.

    bench/zola/convert.py [--zola-version "zola 0.22.1"] SITE OUT

SITE is gen's output (site.yaml, content/papers/*.md); OUT, which must not
exist, becomes a Zola site: config.toml (bench/zola/config.toml plus the
[markdown] highlighting block the given Zola version accepts; the version
is asked of `zola --version` when not given, and taken as current if no
zola is found), templates/ (bench/zola/templates), content/papers/_index.md
(title, sort by title as Hugo's default order is, paginate_by =
papers_per_page) and one page per record with the same file name (the
dot in gen.000123.md is no language suffix, as the site declares no
languages; Zola's slug makes it /papers/gen-000123/).

Each record's YAML front matter becomes TOML (`+++`): `title` at the top,
the keywords under [taxonomies], everything else (id, authors, year,
categories, summary, cites) under [extra], since Zola's own keys are fixed.
The Markdown body is kept byte for byte. The parser only reads what gen
writes (double-quoted strings, flow lists of them, integers, the `cites`
list of maps) and stops on anything else rather than drop data.

Standard library only (Python 3.11+: tomllib checks the output).
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Zola 0.22 replaced syntect with Giallo: `[markdown.highlighting]` needs a
# theme even for class output (style = "class" writes giallo.css beside the
# pages). Before 0.22, `highlight_theme = "css"` gives classes and no CSS
# file (class output exists since 0.14). gen's fences are `python`, `rust`
# and `text`; syntect knows `text` from 0.15 on (0.14 warns and leaves the
# block plain, as an unknown language never fails a build by default).
HIGHLIGHT_022 = '\n[markdown.highlighting]\nstyle = "class"\ntheme = "github-light"\n'
HIGHLIGHT_OLD = '\n[markdown]\nhighlight_code = true\nhighlight_theme = "css"\n'


def zola_version(text):
    """(major, minor) from `zola --version` output such as "zola 0.22.1"."""
    m = re.search(r"(\d+)\.(\d+)(?:\.\d+)?", text or "")
    if not m:
        raise SystemExit(f"convert.py: cannot read a version in {text!r}")
    return int(m.group(1)), int(m.group(2))


def highlight_block(version):
    if version >= (0, 22):
        return HIGHLIGHT_022
    if version >= (0, 14):
        return HIGHLIGHT_OLD
    raise SystemExit(f"convert.py: Zola {version[0]}.{version[1]} is older than 0.14, not supported")


def toml_str(s):
    # JSON's escapes are a subset of TOML basic strings' (json.dumps never
    # writes `\/`), except that TOML also wants DEL escaped.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return "[" + ", ".join(toml_str(x) for x in v) + "]"
    raise ValueError(f"no TOML for {v!r}")


KEY = re.compile(r"([a-z_]+):(?: (.*))?$")
ITEM = re.compile(r"  - ([a-z_]+): (.*)$")
ITEM_KEY = re.compile(r"    ([a-z_]+): (.*)$")
PLAIN = re.compile(r"[A-Za-z0-9_.-]+$")


def scalar(text, where):
    """A value as gen writes it: "string", [flow list of strings], integer
    or a plain word (the cites' role and polarity)."""
    if text.startswith('"') or text.startswith("["):
        # gen writes no escapes, so its double-quoted YAML is JSON.
        try:
            v = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"{where}: not a value gen writes: {text!r} ({e})")
        if isinstance(v, list) and not all(isinstance(x, str) for x in v):
            raise ValueError(f"{where}: a list of non-strings: {text!r}")
        return v
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if PLAIN.fullmatch(text) and text not in ("true", "false", "null", "~"):
        return text
    raise ValueError(f"{where}: not a value gen writes: {text!r}")


def split_record(text, where):
    if not text.startswith("---\n"):
        raise ValueError(f"{where}: no front matter")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValueError(f"{where}: front matter not closed")
    return text[4 : end + 1], text[end + 5 :]


def parse_front_matter(fm, where):
    data = {}
    cites = None  # the list being filled while in `cites:`
    for n, line in enumerate(fm.splitlines(), 2):
        at = f"{where}:{n}"
        if cites is not None:
            m = ITEM.match(line)
            if m:
                cites.append({m.group(1): scalar(m.group(2), at)})
                continue
            m = ITEM_KEY.match(line)
            if m and cites:
                if m.group(1) in cites[-1]:
                    raise ValueError(f"{at}: {m.group(1)} twice in one citation")
                cites[-1][m.group(1)] = scalar(m.group(2), at)
                continue
            cites = None
        m = KEY.match(line)
        if not m:
            raise ValueError(f"{at}: not a line gen writes: {line!r}")
        key, value = m.group(1), m.group(2)
        if key in data:
            raise ValueError(f"{at}: {key} twice")
        if value is None or value == "":
            if key != "cites":
                raise ValueError(f"{at}: {key} has no value")
            cites = data[key] = []
        else:
            data[key] = scalar(value, at)
    return data


def page_front_matter(data, where):
    if not isinstance(data.get("title"), str):
        raise ValueError(f"{where}: no title")
    out = ["+++", f"title = {toml_value(data['title'])}"]
    keywords = data.get("keywords", [])
    if keywords:
        out += ["", "[taxonomies]", f"keywords = {toml_value(keywords)}"]
    extra = {k: v for k, v in data.items() if k not in ("title", "keywords", "cites")}
    cites = data.get("cites", [])
    if extra or cites:
        out += ["", "[extra]"]
        out += [f"{k} = {toml_value(v)}" for k, v in extra.items()]
        for c in cites:
            out += ["", "[[extra.cites]]"]
            out += [f"{k} = {toml_value(v)}" for k, v in c.items()]
    out.append("+++")
    return "\n".join(out) + "\n"


def papers_per_page(site):
    try:
        text = (site / "site.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return 50
    m = re.search(r"^papers_per_page:\s*([0-9]+)\s*$", text, re.M)
    return int(m.group(1)) if m else 50


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zola-version", help='output of `zola --version`, e.g. "zola 0.22.1"')
    ap.add_argument("site", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()

    version_text = args.zola_version
    if version_text is None:
        try:
            version_text = subprocess.run(
                ["zola", "--version"], capture_output=True, text=True, check=True
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            version_text = "zola 0.22.0"  # the current format
    block = highlight_block(zola_version(version_text))

    per_page = papers_per_page(args.site)
    base = (HERE / "config.toml").read_text(encoding="utf-8")
    config = base.rstrip("\n") + "\n" + block
    parsed = tomllib.loads(config)
    taxo = {t["name"]: t for t in parsed["taxonomies"]}
    if taxo["keywords"].get("paginate_by") != per_page:
        raise SystemExit(
            f"convert.py: bench/zola/config.toml paginates keywords by "
            f"{taxo['keywords'].get('paginate_by')}, site.yaml papers_per_page is {per_page}"
        )

    if args.out.exists():
        raise SystemExit(f"convert.py: {args.out} already exists")
    papers = args.out / "content" / "papers"
    papers.mkdir(parents=True)
    (args.out / "config.toml").write_text(config, encoding="utf-8")
    shutil.copytree(HERE / "templates", args.out / "templates")
    (papers / "_index.md").write_text(
        f'+++\ntitle = "Papers"\nsort_by = "title"\npaginate_by = {per_page}\n+++\n',
        encoding="utf-8",
    )
    count = 0
    for src in sorted((args.site / "content" / "papers").glob("*.md")):
        where = str(src)
        fm, body = split_record(src.read_text(encoding="utf-8"), where)
        toml = page_front_matter(parse_front_matter(fm, where), where)
        (papers / src.name).write_text(toml + body, encoding="utf-8")
        count += 1
    if count == 0:
        raise SystemExit(f"convert.py: no records in {args.site / 'content' / 'papers'}")


if __name__ == "__main__":
    try:
        main()
    except ValueError as e:
        sys.exit(f"convert.py: {e}")
