"""Command line: parse, resolve folders, then hand over to the GUI or a subcommand.

Qt is imported only for the GUI paths, so ``catalog`` and ``history`` stay fast.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from acupressure_desktop import APP_NAME, APP_TITLE, __version__
from acupressure_desktop.paths import HOME_ENV, AppPaths, PathsError


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{3,4})x(\d{3,4})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (480 <= width <= 7680 and 360 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"size {text} is outside 480x360 .. 7680x4320")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description=f"{APP_TITLE}: learn and practise self-acupressure. Without a command, opens the main window.",
        epilog=f"Data, settings and logs live in the platform's user folders, or under --home / ${HOME_ENV}.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help=f"keep all user data, settings and logs under DIR (also ${HOME_ENV})"
    )
    parser.add_argument("--routine", metavar="ID", help="open the window and start this routine at once")
    shot = parser.add_argument_group("screenshot (renders offscreen, saves a PNG and exits)")
    shot.add_argument("--screenshot", metavar="PATH", type=Path, help="save the window as a PNG to PATH")
    shot.add_argument("--view", metavar="ID", help="body map view to show (see `catalog --json`)")
    shot.add_argument(
        "--point", metavar="CODE", help="point to select: a code in any common spelling (LI4, li-4) or its name"
    )
    shot.add_argument(
        "--guide-step", type=int, metavar="N", help="with --point: play its measuring guide and show step N (from 1)"
    )
    shot.add_argument("--guide-side", choices=("left", "right"), help="with --guide-step: the side of the body")
    shot.add_argument("--points", choices=("self-care", "all"), help="the map's points: self-care only or all")
    shot.add_argument("--channels", metavar="all|CODES", help="channels to draw: all, or codes such as LU,ST")
    shot.add_argument("--theme", choices=("light", "dark"), help="colour theme for the screenshot")
    shot.add_argument("--size", type=_size, default=None, metavar="WxH", help="window size, e.g. 1280x800")
    shot.add_argument(
        "--page", choices=("learn", "routines", "history"), default=None, help="page to show (default learn)"
    )

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    catalog = commands.add_parser("catalog", help="print the catalog", description="Print the whole catalog.")
    catalog.add_argument("--json", action="store_true", required=True, help="as JSON (the public data format)")

    search = commands.add_parser(
        "search",
        help="search points, routines and techniques",
        description=(
            "Search as the window does: codes in any spelling (li-4), names, benefits, places and everyday "
            "words (can't sleep, migraine, period pain). Prints ranked points, routines and techniques; "
            "when nothing matches, suggestions. Exit status 1 when nothing matches."
        ),
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="what to look for (several words are one query)")
    search.add_argument("--json", action="store_true", help="as JSON")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="at most N points (default 10)")

    validate = commands.add_parser(
        "validate-data",
        help="check data files and body maps",
        description="Validate the data files and body maps; print one 'file: field: problem' line per fault.",
    )
    validate.add_argument(
        "dir", nargs="?", type=Path, metavar="DIR", help="a data folder, or a folder holding data/ (and assets/)"
    )

    history = commands.add_parser("history", help="export or import the practice history")
    history_commands = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    export = history_commands.add_parser("export", help="write the history as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", metavar="FILE", help="file, device or pipe to write; - or none for standard output")
    imp = history_commands.add_parser("import", help="restore a JSON export (idempotent, all or nothing)")
    imp.add_argument("file", type=Path, metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command and any(
        getattr(args, name) is not None
        for name in (
            "screenshot",
            "view",
            "point",
            "theme",
            "size",
            "routine",
            "page",
            "guide_step",
            "guide_side",
            "points",
            "channels",
        )
    ):
        parser.error(f"window options cannot be combined with the {args.command!r} command")
    if args.screenshot is None and any(
        getattr(args, n) is not None
        for n in ("view", "point", "theme", "size", "page", "guide_step", "guide_side", "points", "channels")
    ):
        parser.error(
            "--view, --point, --points, --channels, --theme, --size, --page and --guide-* go with --screenshot"
        )
    if args.guide_step is not None and (args.point is None or args.guide_step < 1):
        parser.error("--guide-step N needs --point and N from 1")

    if args.command in ("catalog", "validate-data", "search"):
        try:
            if args.command == "catalog":
                return _catalog_json()
            if args.command == "validate-data":
                return _validate(args.dir)
            return _search(" ".join(args.query), args.json, max(1, args.limit))
        except BrokenPipeError:  # piped into `head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            return 1

    try:
        paths = AppPaths.resolve(args.home)
        paths.ensure()
    except PathsError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 2

    if args.command == "history":
        from acupressure_desktop.storage import commands

        if args.history_command == "export":
            return commands.export_command(paths, args.format, args.output)
        return commands.import_command(paths, args.file)

    from acupressure_desktop.app import run_gui

    return run_gui(args, paths)


def _catalog_json() -> int:
    from acupressure_desktop.catalog.export import catalog_document
    from acupressure_desktop.catalog.loader import CatalogError, load_catalog

    try:
        catalog = load_catalog()
    except (CatalogError, FileNotFoundError) as exc:
        print(f"{APP_NAME}: the catalog cannot be loaded:\n{exc}", file=sys.stderr)
        return 1
    json.dump(catalog_document(catalog), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _search(query: str, as_json: bool, limit: int) -> int:
    from acupressure_desktop.catalog.loader import CatalogError, load_catalog
    from acupressure_desktop.catalog.search import PointSearch, results_document
    from acupressure_desktop.paths import AppPaths, PathsError
    from acupressure_desktop.session.library import RoutineLibrary

    try:
        catalog = load_catalog()
    except (CatalogError, FileNotFoundError) as exc:
        print(f"{APP_NAME}: the catalog cannot be loaded:\n{exc}", file=sys.stderr)
        return 1
    try:
        library = RoutineLibrary(catalog, AppPaths.resolve().routines_dir)
    except PathsError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 1
    for notice in library.load(repair=False):  # your own routines too, read without touching them
        print(f"{APP_NAME}: {notice}", file=sys.stderr)
    results = PointSearch(catalog).search_all(query, library.all(), limit)
    document = results_document(catalog, results)
    if as_json:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 1 if results.empty else 0
    if results.empty:
        tries = ", ".join(results.suggestions)
        print(f"Nothing matches “{query}”." + (f" Try: {tries}." if tries else ""))
        return 1
    for understood in document["understood"]:
        print(f"“{understood['phrase']}”: {', '.join(understood['benefits'] + understood['regions'])}")
    for title, key in (("Points", "points"), ("Routines", "routines"), ("Techniques", "techniques")):
        rows = document[key]
        if rows:
            print(f"{title}:")
            for row in rows:
                name = row["title"] if key == "points" else f"{row['title']} [{row['id']}]"
                print(f"  {name}  ({row['reason']})")
    return 0


def _validate(folder: Path | None) -> int:
    from acupressure_desktop.catalog.loader import CatalogError, load_catalog
    from acupressure_desktop.catalog.resources import ResourceDirs
    from acupressure_desktop.catalog.svgcheck import qt_render_problems

    try:
        dirs = ResourceDirs.locate()
        if folder is not None:
            if not folder.is_dir():
                print(f"{folder}: (folder): not a folder", file=sys.stderr)
                return 1
            if (folder / "data").is_dir():
                assets = folder / "assets" if (folder / "assets").is_dir() else dirs.assets
                dirs = ResourceDirs(data=folder / "data", assets=assets)
            else:
                dirs = ResourceDirs(data=folder, assets=dirs.assets)
        catalog = load_catalog(dirs)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    except FileNotFoundError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 1
    problems = [*catalog.view_problems, *qt_render_problems(catalog, dirs)]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    hotspots = sum(len(m.hotspots) for m in catalog.maps.values())
    print(
        f"ok: {len(catalog.points)} points, {len(catalog.views)} views ({hotspots} hotspots), "
        f"{len(catalog.techniques)} techniques, {len(catalog.routines)} routines, {len(catalog.benefits)} benefits",
        file=sys.stderr,
    )
    return 0
