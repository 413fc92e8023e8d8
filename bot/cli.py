"""The `enquiry-desk` command line."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from bot.cli_drafts import draft, drafts_app
from bot.database import open_database
from bot.enquiry_lines import enquiry_lines
from bot.matching import Matcher, batch_audience, match_item
from bot.settings import Settings, load_settings
from lookup.decide import Decision
from lookup.errors import EnquiryDeskError
from storage import migrate
from storage.engine import check_connection, make_engine
from storage.records_import import ImportSummary, Rejection, import_file

app = typer.Typer(
    help="Enquiry Desk: match enquiries to ticket and case records and draft replies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
records_app = typer.Typer(help="Ticket and case records.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(records_app, name="records")
app.add_typer(drafts_app, name="drafts")
app.command("draft")(draft)
users_app = typer.Typer(help="Review desk accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy database URL (default: the configured database)."),
]

# Rejected rows printed on the terminal; the rest go to --rejects.
SHOWN_REJECTIONS = 20


def _settings() -> Settings:
    return load_settings()


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the database schema up to the newest revision."""
    settings = _settings()
    engine = make_engine(db or settings.database)
    check_connection(engine)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    typer.echo(f"schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Print the database's schema revision and the one this code needs."""
    settings = _settings()
    engine = make_engine(db or settings.database)
    check_connection(engine)
    typer.echo(
        f"database {migrate.current_revision(engine) or 'empty'}, code {migrate.head_revision()}"
    )


@records_app.command("import")
def records_import(
    file: Annotated[Path, typer.Argument(help="CSV or JSON Lines records export.")],
    db: DbOption = None,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Write every rejected row's line number and reason to this CSV."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(help="Exit 3 if any row was rejected (for scheduled imports)."),
    ] = False,
) -> None:
    """Import a records export: upsert by (kind, reference), report bad rows.

    Columns absent from the file leave stored values as they are; a column the contract
    does not name is reported before the first row and its values are ignored. Exit 1 when
    rows were rejected and none imported; with --strict, exit 3 when any row was rejected.
    """
    engine = open_database(_settings(), db)
    with _rejects_file(rejects) as on_reject, _progress_bar(file) as progress:
        summary = import_file(
            engine, file, progress=progress, on_reject=on_reject, on_unknown=_say_unknown
        )
    _report(summary)
    if summary.accepted == 0 and summary.rejected > 0:
        raise typer.Exit(1)
    if strict and summary.rejected > 0:
        raise typer.Exit(3)


def _say_unknown(column: str) -> None:
    # A header is the exporter's, not personal data; its values are never echoed.
    typer.echo(
        f"column {column!r} is not in the records contract: its values are ignored", err=True
    )


@contextmanager
def _rejects_file(path: Path | None) -> Iterator[Callable[[Rejection], None] | None]:
    if path is None:
        yield None
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "reason"])
        yield lambda rejection: writer.writerow([rejection.line, rejection.reason])


@contextmanager
def _progress_bar(file: Path) -> Iterator[Callable[[int], None] | None]:
    # A bar only on a terminal: in cron mail or a pipe it would be noise.
    if not sys.stderr.isatty():
        yield None
        return
    try:
        total = file.stat().st_size
    except OSError:
        total = None
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress("importing", *columns, transient=True) as bar:
        task = bar.add_task("import", total=total)
        yield lambda consumed: bar.advance(task, consumed)


def _report(summary: ImportSummary, out: TextIO | None = None) -> None:
    for rejection in summary.rejections[:SHOWN_REJECTIONS]:
        typer.echo(f"line {rejection.line}: {rejection.reason}", err=True)
    if summary.rejected > SHOWN_REJECTIONS:
        typer.echo(
            f"... and {summary.rejected - SHOWN_REJECTIONS} more rejected rows"
            " (--rejects FILE lists them all)",
            err=True,
        )
    for name, count in sorted(summary.unknown_statuses.items()):
        typer.echo(f"unknown status {name}: {count} rows (kept)", err=True)
    typer.echo(summary.line(), file=out)


@app.command()
def match(
    file: Annotated[
        Path | None, typer.Argument(help="JSON Lines of enquiries (contracts.md, section 2).")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Match one text, for a person.")
    ] = None,
    sender: Annotated[str | None, typer.Option(help="With --text: the sender's address.")] = None,
    channel: Annotated[str, typer.Option(help="With --text: email or chat.")] = "email",
    db: DbOption = None,
) -> None:
    """Match enquiries to records: JSON Lines in, one decision per line out."""
    if (file is None) == (text is None):
        raise typer.BadParameter("give either FILE or --text")
    matcher = Matcher(open_database(_settings(), db))
    if text is not None:
        decision = matcher.match(text, sender=sender, audience=batch_audience(channel))
        typer.echo(describe_decision(decision))
        return
    assert file is not None
    for _, item in enquiry_lines(file):
        typer.echo(json.dumps(match_item(matcher, item), ensure_ascii=False))


def describe_decision(decision: Decision) -> str:
    """A decision in words, for a person at a terminal."""
    if decision.reference is None:
        head = "no single record"
    else:
        head = f"{decision.kind} {decision.reference}, " + (
            "verified" if decision.verified else "NOT verified: ask for a second identifier"
        )
    lines = [f"{head} (score {decision.score})", "reasons: " + ", ".join(decision.reasons)]
    for candidate in decision.candidates:
        lines.append(f"  candidate {candidate.kind} {candidate.reference} {candidate.score}")
    return "\n".join(lines)


@app.command()
def demo(
    db: DbOption = None,
    records: Annotated[int, typer.Option(help="How many synthetic records.")] = 5000,
    enquiries: Annotated[int, typer.Option(help="How many sample enquiries in the inbox.")] = 40,
    seed: Annotated[int, typer.Option(help="Seed for the synthetic data.")] = 2026,
    accounts: Annotated[
        bool, typer.Option(help="Create demo desk accounts (passwords in a file).")
    ] = True,
) -> None:
    """Seed a demo database with synthetic records and put sample enquiries in the inbox."""
    from bot.demo.seed import seed_demo

    settings = _settings()
    engine = open_database(settings, db)
    result = seed_demo(
        engine,
        data_dir=settings.data_dir,
        inbox=settings.inbox_dir,
        records=records,
        enquiries=enquiries,
        seed=seed,
        today=date.today(),
    )
    typer.echo(result.summary.line())
    typer.echo(f"{result.messages_written} new sample enquiries in {settings.inbox_dir}")
    if accounts:
        from bot.demo.accounts import ensure_demo_accounts

        where = ensure_demo_accounts(engine, settings.data_dir)
        typer.echo(f"desk accounts for the demo (clerk, checker, super): passwords in {where}")


@app.command()
def run(
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Process what is pending and exit.")] = False,
) -> None:
    """Run the service: the review desk and status page on HTTP_HOST:HTTP_PORT."""
    from bot.assemble import serve

    settings = _settings()
    engine = open_database(settings, db)
    serve(settings, engine, once=once)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Account name (letters, digits, . _ -).")],
    role: Annotated[str, typer.Option(help="clerk, supervisor or admin.")] = "clerk",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create a review desk account (contracts.md, section 4)."""
    from bot.desk.passwords import hash_password
    from storage.users import add_user

    if password_stdin:
        # One line: a trailing newline from `echo` or a file is not part of the password.
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = open_database(_settings(), db)
    account = add_user(
        engine,
        name,
        role=role,
        password_hash=hash_password(password),
        actor="cli",
        now=datetime.now(UTC),
    )
    typer.echo(f"account {account.name} added ({account.role})")


def main(argv: list[str] | None = None) -> Any:
    """Console entry point: known errors become one clear line and exit status 2."""
    try:
        return app(args=argv, standalone_mode=True)
    except EnquiryDeskError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
