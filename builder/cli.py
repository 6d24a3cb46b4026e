"""The command line: arguments in, exit codes out. The only module that prints.

0: done (warnings allowed unless --strict); 1: the knowledge base or query has errors; 2: the
command could not run.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .problems import KBError, format_problems, has_errors


def _port(text: str) -> int:
    """A TCP port number, 0 (any free port) to 65535: anything else is a bad argument (exit 2)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r} (a number from 0 to 65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port: {port} (a number from 0 to 65535)")
    return port


def _endpoint(text: str) -> str:
    """An endpoint's URL: http(s) with a host, else a bad argument (exit 2) before anything is loaded."""
    from urllib.parse import urlsplit
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"invalid endpoint: {text!r} (an http:// or https:// URL)")
    return text.strip()


def _add_kb(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kb", default="kb", help="knowledge-base folder (holds site.toml and the Turtle files)")


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    root = argparse.ArgumentParser(prog="tarikh", description="Check and build an event-timeline knowledge base.")
    sub = root.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="check, then build the site")
    _add_kb(b)
    b.add_argument("--out", default="output")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--timings", action="store_true", help="print how long each stage took")
    b.add_argument("--endpoint", type=_endpoint, help="build from a SPARQL endpoint instead of the files")
    b.add_argument("--force", action="store_true",
                   help="render and index every page, even those the last build made from the same inputs")
    c = sub.add_parser("check", help="report every problem, write nothing")
    _add_kb(c)
    c.add_argument("--strict", action="store_true")
    c.add_argument("--format", choices=["text", "json"], default="text")
    q = sub.add_parser("query", help="run SPARQL over the knowledge base and its derived triples")
    _add_kb(q)
    q.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"])
    q.add_argument("--endpoint", type=_endpoint, help="run against a remote SPARQL endpoint")
    q.add_argument("query", help="the query text, a path to a .rq file, or - for standard input")
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change, answer SPARQL at /sparql")
    _add_kb(s)
    s.add_argument("--out", default="output")
    s.add_argument("--port", type=_port, default=8000, help="port to listen on (0: any free port)")
    s.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--query-timeout", type=float, default=10.0, help="seconds a SPARQL query may run")
    s.add_argument("--max-result-bytes", type=int, default=16 * 1024 * 1024, help="largest SPARQL answer sent")
    pu = sub.add_parser("push", help="load the knowledge base and its derived triples into a SPARQL store")
    _add_kb(pu)
    pu.add_argument("--endpoint", required=True, type=_endpoint,
                    help="the store's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store)")
    try:
        from . import scaffold
        n = sub.add_parser("new", help="append a well-formed block for a new thing")
        _add_kb(n)
        scaffold.add_arguments(n)
    except ImportError:
        pass
    from . import exporters, importers
    importers.add_arguments(sub.add_parser("import", help="import UCDP GED, Wikidata, TimelineJS or GeoNames gazetteer data as new Turtle files"))
    exporters.add_arguments(sub.add_parser("export", help="write the events as CSV, JSON, GeoJSON, iCalendar or TimelineJS"))
    return root


def cmd_build(args) -> int:
    from .progress import BUILD_STAGES, Progress
    from .site import Timings, build
    from .write import WriteError, refuse_output
    try:  # before anything is fetched, checked or rendered (the build refuses it too)
        refuse_output(args.kb, args.out)
    except WriteError as exc:
        print(f"tarikh: error: {exc}", file=sys.stderr)
        return 2
    timings = Timings()
    try:
        with Progress("building", BUILD_STAGES) as timings.progress:  # on a terminal, after a second
            if args.endpoint:
                from .remote import build_from_endpoint
                problems, written = build_from_endpoint(args.endpoint, args.kb, args.out, args.strict, timings)
            else:
                problems, written = build(args.kb, args.out, strict=args.strict, timings=timings, force=args.force)
    except _remote_error() as exc:
        print(f"tarikh: error: {exc}", file=sys.stderr)
        return 2
    except KBError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        print(f"tarikh: the build stopped; {args.out} was left as it was", file=sys.stderr)
        return 1
    except WriteError as exc:  # disk full, read-only folder: the command could not run
        print(f"tarikh: error: {exc}; {args.out} was left as it was", file=sys.stderr)
        return 2
    if problems:
        print(format_problems(problems), file=sys.stderr)
    if args.timings:
        print(timings.table(), file=sys.stderr)
    if timings.up_to_date:
        print(f"built {args.out} (0 files written): up to date, built from these very files", file=sys.stderr)
    else:
        print(f"built {args.out} ({written} files written)", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    from .kb import open_kb
    from .site import diagnose, few_collections
    with few_collections():
        problems, _, _ = diagnose(open_kb(args.kb))
    text = format_problems(problems, args.format)
    if text:
        print(text, file=sys.stdout if args.format == "json" else sys.stderr)
    errors = sum(p.is_error for p in problems)
    if args.format == "text":
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if has_errors(problems, args.strict) else 0


def read_query(arg: str) -> str:
    """The query text from an argument, a .rq file, or standard input."""
    if arg == "-":  # as bytes: text that is not UTF-8 is reported as such, whatever the locale
        return sys.stdin.buffer.read().decode("utf-8-sig")
    path = query_file(arg)
    return path.read_text(encoding="utf-8-sig") if path else arg  # a byte-order mark is no part of it


def query_file(arg: str) -> Path | None:
    """The file a query argument names (any `*.rq`, there or not), or None for the text of a query."""
    if arg != "-" and (arg.endswith(".rq") or ("\n" not in arg and _is_file(Path(arg)))):
        return Path(arg)
    return None


def _is_file(path: Path) -> bool:
    """True for an existing file; False for text no file can be named (too long, a NUL in it)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def cmd_query(args) -> int:
    from . import query as q
    path = query_file(args.query)
    shown = "<stdin>" if args.query == "-" else args.query if path else "query"
    try:
        text = read_query(args.query)
    except FileNotFoundError:
        print(f"tarikh: error: there is no query file {args.query}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tarikh: error: cannot read the query {'from standard input' if path is None else 'file ' + args.query}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:  # an error in the query, where it is (as in a .ttl file): exit 1
        before = exc.object[:exc.start]
        line, column = before.count(b"\n") + 1, len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        print(f"{shown}:{line}:{column}: error: the query is not UTF-8 text ({exc.reason})\n"
              f"    hint: save it in the UTF-8 encoding", file=sys.stderr)
        return 1
    try:
        if args.endpoint:
            from .config import load_config
            from .remote import query as remote_query
            config, problems = load_config(Path(args.kb), args.kb)
            if config is None:
                print(format_problems(problems), file=sys.stderr)
                return 1
            result = remote_query(args.endpoint, text, config.id_ns)
            id_ns = config.id_ns
        else:
            from .progress import Progress
            from .storecache import open_store
            with Progress("loading the knowledge base") as progress:  # on a terminal, after a second
                kb, fatal = open_store(args.kb, progress.step)
            if fatal:
                print(format_problems(fatal), file=sys.stderr)
                return 1
            result, id_ns = q.run(kb.store, text, kb.id_ns), kb.id_ns
        if not q.fits(args.format, q.kind_of(result)):
            graph = q.kind_of(result) == "graph"
            print(f"tarikh: error: a {'CONSTRUCT or DESCRIBE' if graph else 'SELECT or ASK'} result goes out as "
                  f"{'table, ttl, nt or jsonld' if graph else 'table, csv, tsv, json or xml'}, not {args.format}",
                  file=sys.stderr)
            return 2
        data = q.serialize(result, args.format, id_ns)
    except q.QueryError as exc:
        print(exc.format(shown), file=sys.stderr)
        return 1
    except _remote_error() as exc:
        print(f"tarikh: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(data)
    return 0


def _remote_error() -> type[Exception]:
    from .remote import RemoteError
    return RemoteError


def cmd_serve(args) -> int:
    from .serve import serve
    from .write import WriteError, refuse_output
    try:
        refuse_output(args.kb, args.out)
    except WriteError as exc:
        print(f"tarikh: error: {exc}", file=sys.stderr)
        return 2
    try:
        return serve(args.kb, args.out, port=args.port, bind=args.bind, query_timeout=args.query_timeout,
                     max_result_bytes=args.max_result_bytes)
    except OSError as exc:
        print(f"tarikh: error: cannot listen on {args.bind}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2


def cmd_push(args) -> int:
    from .remote import RemoteError, push
    from .progress import Progress
    from .storecache import open_store
    from .kb import open_kb
    from .site import diagnose, few_collections
    # contract.md, exit 1: a knowledge base with errors is not written anywhere (as export
    # refuses it); the store would hold it for others, and `build --endpoint` would then fail
    with Progress("checking the knowledge base"), few_collections():
        problems, _, _ = diagnose(open_kb(args.kb))
    errors = [p for p in problems if p.is_error]
    if errors:
        print(format_problems(errors), file=sys.stderr)
        print("tarikh: nothing was pushed: the knowledge base has errors", file=sys.stderr)
        return 1
    with Progress("loading the knowledge base") as progress:
        kb, fatal = open_store(args.kb, progress.step)
    if fatal:
        print(format_problems(fatal), file=sys.stderr)
        return 1
    try:
        counts = push(args.endpoint, kb.store)
    except RemoteError as exc:
        print(f"tarikh: error: {exc}", file=sys.stderr)
        return 2
    print(f"pushed to {args.endpoint}: " + ", ".join(f"{n} triples to {'the default graph' if g == 'default' else '<' + g + '>'}"
                                                   for g, n in counts.items()), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tarikh` command."""
    logging.basicConfig(level=logging.WARNING, format="tarikh: %(message)s")
    args = parser().parse_args(argv)
    kb = Path(getattr(args, "kb", "kb"))
    if args.command in ("build", "check", "query", "serve", "push") and not kb.is_dir():
        print(f"tarikh: error: no knowledge-base folder at {kb}", file=sys.stderr)
        return 2
    handlers = {"build": cmd_build, "check": cmd_check, "query": cmd_query, "serve": cmd_serve, "push": cmd_push}
    if args.command in ("import", "export"):
        from . import exporters, importers
        return (importers if args.command == "import" else exporters).run(args)
    if args.command == "new":
        from . import scaffold
        return scaffold.run(args)
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
