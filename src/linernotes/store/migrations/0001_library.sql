-- linernotes store, schema version 1.
-- Every enriched value records where it came from (source) and when (fetched_at).

CREATE TABLE artists (
    id          INTEGER PRIMARY KEY,
    spotify_id  TEXT UNIQUE,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    image_url   TEXT,
    source      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);
-- Artists known only by name (old exports) are one row per name.
CREATE UNIQUE INDEX artists_by_name ON artists(name_key) WHERE spotify_id IS NULL;
CREATE INDEX artists_by_name_key ON artists(name_key);

CREATE TABLE albums (
    id            INTEGER PRIMARY KEY,
    spotify_id    TEXT UNIQUE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    artist_key    TEXT NOT NULL DEFAULT '',
    release_date  TEXT,
    image_url     TEXT,
    source        TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX albums_by_name ON albums(name_key, artist_key) WHERE spotify_id IS NULL;
CREATE INDEX albums_by_name_key ON albums(name_key, artist_key);

CREATE TABLE album_artists (
    album_id   INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    artist_id  INTEGER NOT NULL REFERENCES artists(id),
    PRIMARY KEY (album_id, position)
);

CREATE TABLE tracks (
    id            INTEGER PRIMARY KEY,
    spotify_id    TEXT UNIQUE,
    name          TEXT NOT NULL,
    match_key     TEXT NOT NULL,
    album_id      INTEGER REFERENCES albums(id),
    duration_ms   INTEGER,
    explicit      INTEGER,
    isrc          TEXT,
    disc_number   INTEGER,
    track_number  INTEGER,
    popularity    INTEGER,
    is_local      INTEGER NOT NULL DEFAULT 0,
    source        TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
);
CREATE INDEX tracks_by_match ON tracks(match_key);
-- Tracks without Spotify id (local files, old exports) are one row per artist + title.
CREATE UNIQUE INDEX tracks_without_id ON tracks(match_key, is_local) WHERE spotify_id IS NULL;

CREATE TABLE track_artists (
    track_id   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    artist_id  INTEGER NOT NULL REFERENCES artists(id),
    PRIMARY KEY (track_id, position)
);
CREATE INDEX track_artists_by_artist ON track_artists(artist_id);

-- A label as spelled by a source; splitting "A, B" and folding aliases happen
-- at analysis time so that a change of linernotes.toml changes the atlas.
CREATE TABLE labels (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE album_labels (
    album_id    INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    label_id    INTEGER NOT NULL REFERENCES labels(id),
    position    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (album_id, label_id, source)
);

CREATE TABLE label_aliases (
    alias       TEXT PRIMARY KEY,
    canonical   TEXT NOT NULL,
    source      TEXT NOT NULL
);

CREATE TABLE genres (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE artist_genres (
    artist_id   INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    genre_id    INTEGER NOT NULL REFERENCES genres(id),
    position    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (artist_id, genre_id, source)
);

CREATE TABLE track_genres (
    track_id    INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    genre_id    INTEGER NOT NULL REFERENCES genres(id),
    position    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (track_id, genre_id, source)
);

CREATE TABLE audio_features (
    track_id          INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    source            TEXT NOT NULL,
    fetched_at        TEXT NOT NULL,
    danceability      REAL,
    energy            REAL,
    key               INTEGER,
    loudness          REAL,
    mode              INTEGER,
    speechiness       REAL,
    acousticness      REAL,
    instrumentalness  REAL,
    liveness          REAL,
    valence           REAL,
    tempo             REAL,
    time_signature    INTEGER,
    PRIMARY KEY (track_id, source)
);

CREATE TABLE playlists (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    spotify_id     TEXT,
    name           TEXT NOT NULL,
    description    TEXT,
    owner          TEXT,
    last_modified  TEXT,
    followers      INTEGER,
    source         TEXT NOT NULL,
    fetched_at     TEXT NOT NULL
);

CREATE TABLE playlist_items (
    playlist_id  INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    track_id     INTEGER REFERENCES tracks(id),
    title        TEXT NOT NULL DEFAULT '',
    added_at     TEXT,
    PRIMARY KEY (playlist_id, position)
);
CREATE INDEX playlist_items_by_track ON playlist_items(track_id);

CREATE TABLE liked (
    track_id    INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    added_at    TEXT,
    source      TEXT NOT NULL
);

CREATE TABLE followed_artists (
    artist_id   INTEGER PRIMARY KEY REFERENCES artists(id) ON DELETE CASCADE,
    source      TEXT NOT NULL
);

-- One row per stream. IP address, country, user agent and username are never stored.
-- play_key identifies a stream (the same play in two exports has the same key);
-- its "twin key" (time cut to the minute, see store/plays.py) is shared by a
-- minute-precision play and its extended-history original. The key starts with
-- the time, so that inserting a chronological file appends to its index.
CREATE TABLE plays (
    id            INTEGER PRIMARY KEY,
    ts            TEXT NOT NULL,
    precision     TEXT NOT NULL,
    ms_played     INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    track_id      INTEGER REFERENCES tracks(id),
    spotify_id    TEXT,
    match_key     TEXT NOT NULL DEFAULT '',
    track_name    TEXT,
    artist_name   TEXT,
    album_name    TEXT,
    episode_id    TEXT,
    episode_name  TEXT,
    show_name     TEXT,
    reason_start  TEXT,
    reason_end    TEXT,
    shuffle       INTEGER,
    skipped       INTEGER,
    offline       INTEGER,
    incognito     INTEGER,
    play_key      TEXT NOT NULL UNIQUE
);
-- Only the (few) minute-precision plays need a twin index; their extended-history
-- originals are found through play_key, which starts with the same minute.
CREATE INDEX plays_minute_twins ON plays(substr(play_key, 1, 16) || substr(play_key, 21))
    WHERE precision = 'minute';
CREATE INDEX plays_unresolved ON plays(match_key) WHERE track_id IS NULL AND kind = 'music';

-- Podcasts the person follows or played: old account-data histories mix their
-- episodes into the music rows (show as artistName), this tells them apart.
CREATE TABLE shows (
    name_key    TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    source      TEXT NOT NULL
);

-- Files an import passed over, and why (shown by `linernotes status`).
CREATE TABLE skipped_files (
    name        TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    seen_at     TEXT NOT NULL
);

-- Every file imported, by content hash: re-importing the same bytes adds nothing.
CREATE TABLE imports (
    sha256       TEXT PRIMARY KEY,
    path         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    rows         INTEGER NOT NULL
);

-- Slugs are assigned once and kept: an entity keeps its page path across builds.
CREATE TABLE slugs (
    kind        TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    slug        TEXT NOT NULL,
    slug_fold   TEXT NOT NULL,
    PRIMARY KEY (kind, entity_key),
    UNIQUE (kind, slug_fold)
);
