"""The store's content version: every table the build reads counts it up on any
write, so that a build can tell an unchanged store from a changed one."""

from __future__ import annotations

from linernotes.store import Store
from linernotes.store.fingerprint import UNTRACKED_TABLES, content_fingerprint, tracked_tables


def _version(store: Store) -> int:
    return int(store.scalar("SELECT version FROM content_version"))  # type: ignore[arg-type]


def test_every_table_but_the_untracked_has_its_three_triggers(store: Store) -> None:
    tables = tracked_tables(store.conn)
    assert set(tables) >= UNTRACKED_TABLES
    missing = {
        name: sorted({"insert", "update", "delete"} - ops)
        for name, ops in tables.items()
        if name not in UNTRACKED_TABLES and ops != {"insert", "update", "delete"}
    }
    assert missing == {}
    assert all(not tables[name] for name in UNTRACKED_TABLES)


def test_writes_count_up_and_the_fingerprint_follows(store: Store) -> None:
    before, fingerprint = _version(store), content_fingerprint(store.conn)
    assert content_fingerprint(store.conn) == fingerprint  # reading changes nothing
    store.conn.execute("INSERT INTO genres (name) VALUES ('shoegaze')")
    assert _version(store) == before + 1
    store.conn.execute("UPDATE genres SET name = 'dream pop' WHERE name = 'shoegaze'")
    store.conn.execute("DELETE FROM genres WHERE name = 'dream pop'")
    assert _version(store) == before + 3
    assert content_fingerprint(store.conn) != fingerprint
    store.conn.execute("INSERT OR IGNORE INTO slugs VALUES ('artists', '1', 'a', 'a')")
    assert _version(store) == before + 3  # the build's own table does not count


def test_stores_are_told_apart(store: Store) -> None:
    from linernotes.store import open_store

    with open_store(None) as other:
        assert content_fingerprint(other.conn) != content_fingerprint(store.conn)
