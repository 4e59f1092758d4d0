-- Schema 9: a version of the store's content, for incremental builds.
--
-- `content_version.version` goes up with every row written to any table but
-- `plays` (covered by `history_fingerprint`: plays change only by an import,
-- which also writes `imports`), `slugs` and `cluster_members` (written by the
-- build itself, and read whole into its key) and `open_writers`; `store_id` tells this store from any other. A build whose
-- store id, content version, plays, settings and program are those of the
-- previous atlas reuses it whole. A new table needs its three triggers here
-- or in its own migration (tests/store/test_content_version.py checks).
CREATE TABLE content_version (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    store_id  TEXT NOT NULL,
    version   INTEGER NOT NULL
);
INSERT INTO content_version VALUES (1, lower(hex(randomblob(16))), 0);
CREATE TRIGGER content_artists_insert AFTER INSERT ON artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artists_update AFTER UPDATE ON artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artists_delete AFTER DELETE ON artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_albums_insert AFTER INSERT ON albums BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_albums_update AFTER UPDATE ON albums BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_albums_delete AFTER DELETE ON albums BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_artists_insert AFTER INSERT ON album_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_artists_update AFTER UPDATE ON album_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_artists_delete AFTER DELETE ON album_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_tracks_insert AFTER INSERT ON tracks BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_tracks_update AFTER UPDATE ON tracks BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_tracks_delete AFTER DELETE ON tracks BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_artists_insert AFTER INSERT ON track_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_artists_update AFTER UPDATE ON track_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_artists_delete AFTER DELETE ON track_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_labels_insert AFTER INSERT ON labels BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_labels_update AFTER UPDATE ON labels BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_labels_delete AFTER DELETE ON labels BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_labels_insert AFTER INSERT ON album_labels BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_labels_update AFTER UPDATE ON album_labels BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_labels_delete AFTER DELETE ON album_labels BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_label_aliases_insert AFTER INSERT ON label_aliases BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_label_aliases_update AFTER UPDATE ON label_aliases BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_label_aliases_delete AFTER DELETE ON label_aliases BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_genres_insert AFTER INSERT ON genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_genres_update AFTER UPDATE ON genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_genres_delete AFTER DELETE ON genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artist_genres_insert AFTER INSERT ON artist_genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artist_genres_update AFTER UPDATE ON artist_genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artist_genres_delete AFTER DELETE ON artist_genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_genres_insert AFTER INSERT ON track_genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_genres_update AFTER UPDATE ON track_genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_genres_delete AFTER DELETE ON track_genres BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_audio_features_insert AFTER INSERT ON audio_features BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_audio_features_update AFTER UPDATE ON audio_features BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_audio_features_delete AFTER DELETE ON audio_features BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_playlists_insert AFTER INSERT ON playlists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_playlists_update AFTER UPDATE ON playlists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_playlists_delete AFTER DELETE ON playlists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_playlist_items_insert AFTER INSERT ON playlist_items BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_playlist_items_update AFTER UPDATE ON playlist_items BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_playlist_items_delete AFTER DELETE ON playlist_items BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_liked_insert AFTER INSERT ON liked BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_liked_update AFTER UPDATE ON liked BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_liked_delete AFTER DELETE ON liked BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_followed_artists_insert AFTER INSERT ON followed_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_followed_artists_update AFTER UPDATE ON followed_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_followed_artists_delete AFTER DELETE ON followed_artists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_shows_insert AFTER INSERT ON shows BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_shows_update AFTER UPDATE ON shows BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_shows_delete AFTER DELETE ON shows BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_skipped_files_insert AFTER INSERT ON skipped_files BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_skipped_files_update AFTER UPDATE ON skipped_files BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_skipped_files_delete AFTER DELETE ON skipped_files BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_imports_insert AFTER INSERT ON imports BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_imports_update AFTER UPDATE ON imports BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_imports_delete AFTER DELETE ON imports BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_state_insert AFTER INSERT ON spotify_state BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_state_update AFTER UPDATE ON spotify_state BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_state_delete AFTER DELETE ON spotify_state BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_playlists_insert AFTER INSERT ON spotify_playlists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_playlists_update AFTER UPDATE ON spotify_playlists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_playlists_delete AFTER DELETE ON spotify_playlists BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_playlist_pages_insert AFTER INSERT ON spotify_playlist_pages BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_playlist_pages_update AFTER UPDATE ON spotify_playlist_pages BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_playlist_pages_delete AFTER DELETE ON spotify_playlist_pages BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_top_insert AFTER INSERT ON spotify_top BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_top_update AFTER UPDATE ON spotify_top BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_top_delete AFTER DELETE ON spotify_top BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_recent_insert AFTER INSERT ON spotify_recent BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_recent_update AFTER UPDATE ON spotify_recent BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_recent_delete AFTER DELETE ON spotify_recent BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_track_checks_insert AFTER INSERT ON spotify_track_checks BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_track_checks_update AFTER UPDATE ON spotify_track_checks BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_track_checks_delete AFTER DELETE ON spotify_track_checks BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_skipped_insert AFTER INSERT ON spotify_skipped BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_skipped_update AFTER UPDATE ON spotify_skipped BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_spotify_skipped_delete AFTER DELETE ON spotify_skipped BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_lookups_insert AFTER INSERT ON track_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_lookups_update AFTER UPDATE ON track_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_lookups_delete AFTER DELETE ON track_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artist_lookups_insert AFTER INSERT ON artist_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artist_lookups_update AFTER UPDATE ON artist_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_artist_lookups_delete AFTER DELETE ON artist_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_gain_insert AFTER INSERT ON track_gain BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_gain_update AFTER UPDATE ON track_gain BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_gain_delete AFTER DELETE ON track_gain BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_external_ids_insert AFTER INSERT ON album_external_ids BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_external_ids_update AFTER UPDATE ON album_external_ids BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_album_external_ids_delete AFTER DELETE ON album_external_ids BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_cover_lookups_insert AFTER INSERT ON cover_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_cover_lookups_update AFTER UPDATE ON cover_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_cover_lookups_delete AFTER DELETE ON cover_lookups BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_cover_downloads_insert AFTER INSERT ON cover_downloads BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_cover_downloads_update AFTER UPDATE ON cover_downloads BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_cover_downloads_delete AFTER DELETE ON cover_downloads BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_skipped_rows_insert AFTER INSERT ON skipped_rows BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_skipped_rows_update AFTER UPDATE ON skipped_rows BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_skipped_rows_delete AFTER DELETE ON skipped_rows BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_identities_insert AFTER INSERT ON track_identities BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_identities_update AFTER UPDATE ON track_identities BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER content_track_identities_delete AFTER DELETE ON track_identities BEGIN UPDATE content_version SET version = version + 1; END;
