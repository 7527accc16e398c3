-- The ledger tables. Each record table keeps the record's contract dict in `data` (what load()
-- rebuilds from) beside the columns the workbench queries on; offsets index articles.text.
-- Dollar-prefixed type names are filled in per database by sayso.store.dialect.

CREATE TABLE articles (
    id TEXT PRIMARY KEY,  -- content hash of the body text
    url TEXT,
    title TEXT,
    authors TEXT NOT NULL,  -- JSON list
    published TEXT,
    modified TEXT,
    site TEXT,
    language TEXT,
    text TEXT NOT NULL,
    captions TEXT NOT NULL,  -- JSON list
    sayso_version TEXT NOT NULL,
    contract_version TEXT NOT NULL,
    analyzed_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_site ON articles (site);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    code TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX entities_id ON entities (article_id, id);
CREATE INDEX entities_name ON entities (name);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_entity ON mentions (article_id, entity_id);

CREATE TABLE attributions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT,
    source_start INTEGER,
    source_end INTEGER,
    source_text TEXT,
    source_entity TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    cue_text TEXT,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    content_text TEXT NOT NULL,
    addressee_start INTEGER,
    addressee_end INTEGER,
    addressee_text TEXT,
    medium_start INTEGER,
    medium_end INTEGER,
    medium_text TEXT,
    time_start INTEGER,
    time_end INTEGER,
    time_text TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX attributions_id ON attributions (article_id, id);
CREATE INDEX attributions_source ON attributions (article_id, source_entity);

CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX times_value ON times (value);

CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    name TEXT,
    geonameid INTEGER,
    country TEXT,
    lat $real,
    lon $real,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX places_geonameid ON places (geonameid);

CREATE TABLE quantities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    value $real NOT NULL,
    unit TEXT,
    what TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE events (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    anchor_start INTEGER NOT NULL,
    anchor_end INTEGER NOT NULL,
    anchor_text TEXT NOT NULL,
    place_id TEXT,
    time_id TEXT,
    reported_by TEXT,
    modality TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX events_type ON events (type);

CREATE TABLE event_participants (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    role TEXT NOT NULL  -- actor | recipient
);
CREATE INDEX event_participants_entity ON event_participants (article_id, entity_id);

CREATE TABLE errors (
    id $serial,
    origin TEXT NOT NULL,
    error TEXT NOT NULL,
    message TEXT NOT NULL,
    time TEXT NOT NULL,
    UNIQUE (origin, error)
);
