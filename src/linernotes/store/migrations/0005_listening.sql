-- Schema 7: listening stories (issue "Listening stories").
-- Every play a story reads, in time order per kind: the stories read a year of
-- music plays at a time, and podcast and audiobook plays apart, from this index
-- alone (it holds every column they need), never from the wider table rows.
CREATE INDEX IF NOT EXISTS plays_listening
    ON plays(kind, ts, ms_played, track_id, reason_end, precision)
