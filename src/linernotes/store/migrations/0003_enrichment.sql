-- Schema 3: open-data enrichment (issue "Labels, genres and audio features from open data").
-- Provider values land in the tables of schema 1 (album_labels, track_genres,
-- artist_genres, audio_features) with the provider as source and the time as
-- fetched_at. These tables say which lookups were made, so that an interrupted
-- enrich resumes where it stopped and nothing is asked twice, answers of
-- "not found" included.

-- One row per track and provider that looked it up: status 'found' or
-- 'not_found', and the provider's own id of what it matched (MusicBrainz
-- recording, Deezer track, ReccoBeats track, Last.fm URL).
CREATE TABLE IF NOT EXISTS track_lookups (
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    status       TEXT NOT NULL,
    external_id  TEXT,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (track_id, provider)
);

-- Artists looked up on their own (MusicBrainz artist genres, Last.fm artist tags).
CREATE TABLE IF NOT EXISTS artist_lookups (
    artist_id    INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    status       TEXT NOT NULL,
    external_id  TEXT,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (artist_id, provider)
);

-- Deezer's track gain (a replay-gain figure in dB): kept with its provenance but
-- not mixed into audio_features, whose loudness is Spotify's, another measure.
CREATE TABLE IF NOT EXISTS track_gain (
    track_id    INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    gain        REAL NOT NULL,
    PRIMARY KEY (track_id, source)
);
