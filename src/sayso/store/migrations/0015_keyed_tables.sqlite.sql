-- Tables only ever reached by their primary key, rebuilt WITHOUT ROWID so SQLite keeps each row
-- once, in its key's b-tree, rather than once in the table and again in the key's index (these
-- four held half their bytes twice). Same columns, keys and upserts; PostgreSQL keeps a heap
-- and an index whatever the spelling, so this step is SQLite's alone.
CREATE TABLE identity_keys_keyed (
    key TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    PRIMARY KEY (key, identity_id)
) WITHOUT ROWID;
INSERT INTO identity_keys_keyed SELECT key, identity_id FROM identity_keys;
DROP TABLE identity_keys;
ALTER TABLE identity_keys_keyed RENAME TO identity_keys;

CREATE TABLE speaker_totals_keyed (
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT NOT NULL,
    sector TEXT NOT NULL,
    kind TEXT NOT NULL,
    statements INTEGER NOT NULL,
    PRIMARY KEY (name, type, country, sector, kind)
) WITHOUT ROWID;
INSERT INTO speaker_totals_keyed
SELECT name, type, country, sector, kind, statements FROM speaker_totals;
DROP TABLE speaker_totals;
ALTER TABLE speaker_totals_keyed RENAME TO speaker_totals;

CREATE TABLE event_totals_keyed (
    day TEXT NOT NULL,
    type TEXT NOT NULL,
    modality TEXT NOT NULL,
    country TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (country, type, modality, day)
) WITHOUT ROWID;
INSERT INTO event_totals_keyed SELECT day, type, modality, country, n FROM event_totals;
DROP TABLE event_totals;
ALTER TABLE event_totals_keyed RENAME TO event_totals;

CREATE TABLE edge_totals_keyed (
    country TEXT NOT NULL,
    type TEXT NOT NULL,
    modality TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_country TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_country TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (country, type, modality, actor, actor_country, recipient, recipient_country)
) WITHOUT ROWID;
INSERT INTO edge_totals_keyed
SELECT country, type, modality, actor, actor_country, recipient, recipient_country, n
FROM edge_totals;
DROP TABLE edge_totals;
ALTER TABLE edge_totals_keyed RENAME TO edge_totals;
