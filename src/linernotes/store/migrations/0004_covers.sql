-- Schema 4: covers that show, offline (album art downloaded once by `enrich`).

-- The release a provider matched for an album, by that provider's own id: the
-- MusicBrainz release MBID, which the Cover Art Archive is asked about.
CREATE TABLE IF NOT EXISTS album_external_ids (
    album_id     INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,
    PRIMARY KEY (album_id, source)
);

-- Albums without a cover URL looked up by a cover source (the Cover Art Archive):
-- status 'found' with the front image's URL, or 'not_found'. Never asked twice.
CREATE TABLE IF NOT EXISTS cover_lookups (
    album_id    INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    status      TEXT NOT NULL,
    url         TEXT,
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (album_id, source)
);

-- Every cover URL `enrich` followed: 'cached' (its sizes are in the cover cache
-- beside the store), 'refused' (not an image, truncated, too large, HTTP error:
-- the reason says which) or 'not_found'. Refused and missing URLs are not asked again.
CREATE TABLE IF NOT EXISTS cover_downloads (
    url         TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    reason      TEXT,
    fetched_at  TEXT NOT NULL
);
