"""Backups of a running server's database and restores into a stopped server's path, through
the real `portfolio-server backup` and `restore` commands."""

from __future__ import annotations

import re
import sqlite3
import threading

import requests

from conftest import add_wallet, list_all_wallets
from test_durability import integrity_check


def epoch(path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
    finally:
        connection.close()


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_backup_of_a_running_server_restores_into_a_stopped_one(server_factory, tmp_path):
    database = server_factory.database_path("live.sqlite")
    backup = tmp_path / "copies" / "backup.sqlite"
    server = server_factory.start(database=database)
    before = [add_wallet(server, label=f"before {i}") for i in range(20)]

    # Writes go on while the backup is taken.
    stop = threading.Event()
    during: list[dict] = []

    def write() -> None:
        while not stop.is_set():
            during.append(add_wallet(server, label="during"))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    done = server_factory.run(["backup", "--to", str(backup), "--database", str(database)])
    stop.set()
    writer.join(10)
    assert done.returncode == 0, done.stderr
    match = re.fullmatch(r"backup written: (\S+) (\d+) bytes in (\d+) ms", one_line(done.stdout))
    assert match, done.stdout
    assert match.group(1) == str(backup)
    assert int(match.group(2)) == backup.stat().st_size > 0
    assert integrity_check(backup) == "ok"
    assert not [p for p in backup.parent.iterdir() if p.name != "backup.sqlite"], "no temporary file is left"

    # An existing file is not replaced without --force.
    again = server_factory.run(["backup", "--to", str(backup), "--database", str(database)])
    assert again.returncode == 1
    assert one_line(again.stderr) == f"portfolio-server: {backup} exists already; pass --force to replace it"

    # While the server runs, a restore and a second server on the same file are refused.
    refused = server_factory.run(["restore", "--from", str(backup), "--database", str(database)])
    assert refused.returncode == 1
    assert "in use by another portfolio-server" in one_line(refused.stderr), refused.stderr
    second = server_factory.run(["serve", "--port", "0", "--database", str(database)])
    assert second.returncode == 1
    assert one_line(second.stderr) == (
        f"portfolio-server: cannot start: the database {database} is in use by another portfolio-server "
        f"(it holds {database}.lock); stop that one first"
    )

    after = add_wallet(server, label="after the backup")
    old_epoch = epoch(database)
    assert server.stop() == 0, server.stderr_text

    restored = server_factory.run(["restore", "--from", str(backup), "--database", str(database)])
    assert restored.returncode == 0, restored.stderr
    line = one_line(restored.stdout)
    assert line.startswith(f"restored {backup} to {database} with the new epoch "), line
    kept = [p for p in database.parent.iterdir() if p.name.startswith("live.sqlite.before-restore-")]
    assert len(kept) == 1 and str(kept[0]) in line
    assert epoch(database) != old_epoch
    assert epoch(kept[0]) == old_epoch

    restarted = server_factory.start(database=database)
    ids = {wallet["id"] for wallet in list_all_wallets(restarted)}
    assert {wallet["id"] for wallet in before} <= ids
    assert after["id"] not in ids
    assert ids <= {wallet["id"] for wallet in before + during}
    health = requests.get(restarted.url("/api/v1/ready"), timeout=5)
    assert health.status_code == 200
    assert restarted.stop() == 0
    assert integrity_check(database) == "ok"


def test_restore_refuses_a_file_that_is_not_a_backup(server_factory, tmp_path):
    database = server_factory.database_path("target.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    refused = server_factory.run(["restore", "--from", str(junk), "--database", str(database)])
    assert refused.returncode == 1
    assert one_line(refused.stderr).startswith(f"portfolio-server: cannot restore: {junk} is not a usable SQLite database")
    assert not database.exists()


def test_a_database_from_a_newer_version_is_refused_by_every_command(server_factory):
    database = server_factory.database_path("newer.sqlite")
    made = server_factory.run(["migrate", "--database", str(database)])
    assert made.returncode == 0, made.stderr
    connection = sqlite3.connect(str(database))
    connection.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
    connection.commit()
    connection.close()
    for args, prefix in [
        (["migrate"], "portfolio-server: cannot start: "),
        (["serve", "--port", "0"], "portfolio-server: cannot start: "),
        (["user", "list"], "portfolio-server: "),
        (["wallet", "list"], "portfolio-server: "),
    ]:
        refused = server_factory.run([*args, "--database", str(database)])
        assert refused.returncode == 1, (args, refused.stderr)
        line = one_line(refused.stderr)
        assert line.startswith(f"{prefix}cannot use the database {database}: its schema is newer than this binary"), line
        assert '"v99: from the future"' in line and "restore a backup" in line, line
