-- Cluster memberships of the last published build, so that the next build's
-- clusters keep their numbers ("Cluster #2" stays the same group of songs).
-- page_kind is 'playlist' (page_key = playlists.key) or 'genre' (the genre);
-- number 0 marks an odd one out.
CREATE TABLE cluster_members (
    page_kind  TEXT NOT NULL,
    page_key   TEXT NOT NULL,
    track_id   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    PRIMARY KEY (page_kind, page_key, track_id)
);
