-- Run manifests: what a batch (`sayso analyze --db`, `sayso run`) read, in shards (one input
-- file each), and how far it got, so that a rerun of the same inputs resumes where it stopped.
-- Articles themselves are stored once whatever happens (keyed by body hash, one transaction
-- each); the manifest only says which shards need no reading again.

CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    run_key TEXT NOT NULL,  -- hash of the inputs and engine: a rerun of the same finds this run
    inputs TEXT NOT NULL,  -- JSON list, as given
    engine TEXT NOT NULL,
    workers INTEGER NOT NULL,
    status TEXT NOT NULL,  -- running | finished | interrupted | failed
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    seconds $real NOT NULL DEFAULT 0,  -- time spent working, over every attempt
    articles INTEGER NOT NULL DEFAULT 0,  -- analysed and stored by this run
    skipped INTEGER NOT NULL DEFAULT 0,  -- already stored when this run read them
    errors INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_key ON runs (run_key, started_at);

CREATE TABLE run_shards (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    shard INTEGER NOT NULL,
    input TEXT NOT NULL,
    fingerprint TEXT NOT NULL,  -- size and modification time: a changed file is read again
    status TEXT NOT NULL,  -- pending | running | done
    attempts INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    started_at TEXT,
    finished_at TEXT,
    seconds $real,
    PRIMARY KEY (run_id, shard)
);

-- An error's stage and exception type as columns of their own (they were only in the message).
ALTER TABLE errors ADD COLUMN stage TEXT;
ALTER TABLE errors ADD COLUMN exception TEXT;
