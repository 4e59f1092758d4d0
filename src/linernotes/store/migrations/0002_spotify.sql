-- Schema 2: Spotify Web API sync state (issue "Sync from the Spotify Web API").
-- The library itself (tracks, albums, playlists, liked ...) lives in the tables of
-- schema 1, written with source 'spotify'. These tables say what a sync has done,
-- so that an interrupted sync resumes where it stopped and an unchanged library
-- costs almost no requests.

-- Small facts of the sync: resume_after (no request before that UTC time),
-- the Liked Songs watermark and the progress of an unfinished pass, the user id,
-- the completion budget of the day, when top items were last fetched.
CREATE TABLE IF NOT EXISTS spotify_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Every playlist the API listed: synced (snapshot_id of the last complete
-- fetch), or not readable (followed playlists: development mode refuses them).
CREATE TABLE IF NOT EXISTS spotify_playlists (
    spotify_id     TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    owner_id       TEXT,
    owner_name     TEXT,
    collaborative  INTEGER NOT NULL DEFAULT 0,
    total          INTEGER,
    status         TEXT NOT NULL,
    snapshot_id    TEXT,
    playlist_id    INTEGER REFERENCES playlists(id) ON DELETE SET NULL,
    checked_at     TEXT NOT NULL
);

-- Pages of a playlist fetched by a run that stopped before its last page
-- (typed playlist items as msgspec JSON), dropped once the playlist is written.
CREATE TABLE IF NOT EXISTS spotify_playlist_pages (
    spotify_id   TEXT NOT NULL,
    snapshot_id  TEXT NOT NULL,
    page_offset  INTEGER NOT NULL,
    next_offset  INTEGER,
    items        BLOB NOT NULL,
    PRIMARY KEY (spotify_id, page_offset)
);

-- Top tracks and artists per time range, as Spotify ranked them at the last sync.
CREATE TABLE IF NOT EXISTS spotify_top (
    kind        TEXT NOT NULL,
    time_range  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    track_id    INTEGER REFERENCES tracks(id) ON DELETE CASCADE,
    artist_id   INTEGER REFERENCES artists(id) ON DELETE CASCADE,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (kind, time_range, position)
);

-- Recently played tracks (the API keeps the last 50, each sync adds the new ones).
CREATE TABLE IF NOT EXISTS spotify_recent (
    played_at    TEXT NOT NULL,
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    context_uri  TEXT,
    PRIMARY KEY (played_at, track_id)
);

-- Export-only tracks looked up one GET /tracks/{id} at a time: completed,
-- not_found. A track listed here is not asked for again.
CREATE TABLE IF NOT EXISTS spotify_track_checks (
    spotify_id  TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    checked_at  TEXT NOT NULL
);

-- Endpoints that answered 403 (removed for development-mode apps): shown by sync.
CREATE TABLE IF NOT EXISTS spotify_skipped (
    endpoint  TEXT PRIMARY KEY,
    message   TEXT NOT NULL,
    seen_at   TEXT NOT NULL
)
