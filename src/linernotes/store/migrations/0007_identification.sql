-- Schema 7: how each track was identified (issue "A complete atlas from nothing but
-- the Spotify export"). A bare export knows a track by its Spotify id, or only by
-- its names; enrich finds its ISRC and duration (ReccoBeats by Spotify id) or the
-- service's own record of it (Deezer or MusicBrainz by names). The track row is
-- left as imported: what a service said is kept here, with who said it and how.

-- One row per track, service and method: method 'spotify_id' (the service looked
-- the Spotify id up) or 'name_search' (artist + title, album where known);
-- status 'found' or 'not_found'; the service's id of what it matched, the ISRC
-- and duration it gave, and for a name search how well the names agreed (score,
-- 0-1: 1 when title, artist, album and duration all agree).
CREATE TABLE track_identities (
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    method       TEXT NOT NULL,
    status       TEXT NOT NULL,
    external_id  TEXT,
    isrc         TEXT,
    duration_ms  INTEGER,
    score        REAL,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (track_id, source, method)
);
