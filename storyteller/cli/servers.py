"""`storyteller servers`: add, list, test and remove the servers `generate --server NAME` writes with."""

from __future__ import annotations

import argparse
import sys

from storyteller.cli.common import message
from storyteller.engine.servers import (
    API_CHOICES,
    ServerEntry,
    api_key_of,
    find_server,
    load_servers,
    remove_server,
    save_server,
)
from storyteller.engine.servers.errors import PlainHttpKeyError, ServerError
from storyteller.engine.servers.registry import DEFAULT_TIMEOUT_SECONDS, check_plain_http_consent
from storyteller.engine.settings.generation import GenerationSettings


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "servers", help="add, list, test or remove model servers (llama.cpp, vLLM, OpenAI-compatible)",
        description="Servers that run bigger models: llama.cpp's llama-server, vLLM, or any OpenAI-compatible "
        "server. API keys are kept in the system keychain, never in files.",
    )
    parser.set_defaults(run=run_servers)
    actions = parser.add_subparsers(dest="servers_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a server, or change one", description="Add a server (or replace the "
                             "one with that name) and test the connection.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("url", metavar="URL", help="e.g. http://localhost:8080 or https://gpu.example/v1")
    add.add_argument("--api", choices=API_CHOICES, default="auto", help="the server's API (default: detect it)")
    add.add_argument("--model", default="", help="the model to ask for, where the server has several")
    add.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, metavar="SECONDS",
                     help="how long the server may think before its first word, and between words (default "
                     f"{DEFAULT_TIMEOUT_SECONDS:g}); a server that stops answering altogether, its health check "
                     "too, is reported within seconds")
    add.add_argument("--api-key-stdin", action="store_true",
                     help="read the API key from standard input (kept in the system keychain)")
    add.add_argument("--allow-plain-http", action="store_true",
                     help="agree to send the API key unencrypted to a server on another machine (http://)")
    add.add_argument("--no-test", action="store_true", help="save without testing the connection")
    actions.add_parser("list", help="show the servers")
    test = actions.add_parser("test", help="test the connection and show what the server can do")
    test.add_argument("name", metavar="NAME")
    remove = actions.add_parser("remove", help="forget a server and its key")
    remove.add_argument("name", metavar="NAME")


def run_servers(args: argparse.Namespace) -> int:
    return {"add": _add, "list": _list, "test": _test, "remove": _remove}[args.servers_command](args)


def _add(args: argparse.Namespace) -> int:
    entry = ServerEntry(args.name, args.url, api=args.api, model=args.model, allow_plain_http=args.allow_plain_http,
                        timeout=args.timeout)
    api_key = _read_key() if args.api_key_stdin else None
    if args.api_key_stdin and not api_key:
        raise ServerError("--api-key-stdin was given but standard input held no key.")
    try:
        check_plain_http_consent(entry, api_key)
    except PlainHttpKeyError as error:
        raise PlainHttpKeyError(f"{error} (Add --allow-plain-http to allow it.)") from error
    save_server(entry, api_key=api_key)
    print(f"Saved server {entry.name} ({entry.url})" + (", its API key in the system keychain." if api_key else "."))
    if args.no_test:
        return 0
    try:
        _show(entry, api_key)
    except ServerError as error:
        print(f"storyteller: {message(error)}", file=sys.stderr)
        print(f"The server is saved anyway; test it again with `storyteller servers test {entry.name}`.",
              file=sys.stderr)
        return 1
    return 0


def _read_key() -> str:
    """The key from standard input: typed without echo at a terminal, else the first line of a pipe."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("API key: ").strip()
    return sys.stdin.readline().strip()


def _list(args: argparse.Namespace) -> int:
    entries = load_servers()
    if not entries:
        print("No servers yet. Add one with: storyteller servers add NAME URL")
        return 0
    rows = [("NAME", "API", "MODEL", "KEY", "TIMEOUT", "URL")]
    rows += [(e.name, e.api, e.model or "-", "yes" if api_key_of(e.name) else "no", f"{e.timeout:g} s", e.url)
             for e in entries]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join([cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]))
    return 0


def _test(args: argparse.Namespace) -> int:
    _show(find_server(args.name), None)
    return 0


def _show(entry: ServerEntry, api_key: str | None) -> None:
    from storyteller.engine.servers import connect

    print(f"Testing {entry.url} ...", flush=True)
    server = connect(entry, api_key=api_key)
    try:
        info = server.info
        print(f"OK: {server.description}")
        print(f"  API: {info.api}" + ("" if entry.api == "auto" else " (as set)"))
        print(f"  models: {', '.join(info.models) or '-'}")
        print(f"  context: {info.n_ctx or 'not reported'} tokens")
        print(f"  timeout: {entry.timeout:g} s for the first word and between words")
        print("  tokens: " + ("KoGPT2's: Storyteller sends and decodes token ids" if server.uses_ids
                              else "the server's own tokenizer: text in and out, counted with its /tokenize"))
        ignored = [f"--{item.cli_flag}" for item in GenerationSettings.describe() if item.name in info.ignored_settings]
        print(f"  settings this server ignores: {', '.join(ignored) or 'none'}")
    finally:
        server.close()


def _remove(args: argparse.Namespace) -> int:
    remove_server(args.name)
    print(f"Removed server {args.name} and its key.")
    return 0


def open_server(name: str):
    """(label, its ServerGenerator) for `generate --server NAME`."""
    from storyteller.engine.servers import connect

    server = connect(find_server(name))
    return server.description, server
