-- Across articles (sayso.compare): one identity per person or body, and stories. Machine output
-- and analysts' corrections are kept apart: `machine_id` is what the linking rules decided,
-- `identity_id` what it is once the corrections (kept, with who and when, in
-- identity_corrections) are replayed over it; re-analysis rewrites the first, never the log.
-- Filled as each article is stored (Store.save); a store from before is filled by the first
-- `sayso entities` or `sayso stories` (articles not yet in compared_articles).

CREATE TABLE identities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,          -- shown: the machine's name, or an analyst's rename
    machine_name TEXT NOT NULL,  -- the fullest name the members were written with
    kind TEXT NOT NULL,          -- person | body | generic (a common noun: one article's only)
    country TEXT,
    role TEXT,
    origin TEXT NOT NULL         -- machine | analyst (made by a split)
);
CREATE INDEX identities_name ON identities (machine_name);

-- Where the linking rules look a new article's entities up (sayso.compare.identities.link_keys).
CREATE TABLE identity_keys (
    key TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    PRIMARY KEY (key, identity_id)
);

CREATE TABLE identity_members (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,          -- the entity's name as the article gives it
    machine_id TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    statements INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX identity_members_identity ON identity_members (identity_id, article_id);
CREATE INDEX identity_members_machine ON identity_members (machine_id);

CREATE TABLE identity_corrections (
    id $serial,
    action TEXT NOT NULL,        -- merge | split | rename
    detail TEXT NOT NULL,        -- JSON: the identities (ids and names) and what was done
    who TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    first_published TEXT,
    last_published TEXT,
    articles INTEGER NOT NULL
);

-- Each article once it has been linked, in the order it was: identities and its story.
CREATE TABLE compared_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    story_id TEXT,
    story_score $real
);
CREATE INDEX compared_articles_story ON compared_articles (story_id);
