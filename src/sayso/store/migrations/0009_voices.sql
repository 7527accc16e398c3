-- The voices of each article (contract 2.1): loaded spans and hedges (`framing`), the outlet's
-- own assertions, claims and counter-claims (`disputes`), each statement's chain of custody and
-- modality (`statement_custody`), and the one-sidedness summary (`article_voices`). Records keep
-- their contract dict in `data`, as every record table does; the other columns are for queries.

CREATE TABLE framing (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    technique TEXT NOT NULL,
    voice TEXT NOT NULL,  -- 'outlet' or the id of the statement whose content holds the span
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX framing_technique ON framing (technique, voice);

CREATE TABLE assertions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    flags TEXT NOT NULL,  -- the flags joined by spaces ('' for none)
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE disputes (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source_id TEXT NOT NULL,  -- the statement that takes a stand
    target_id TEXT NOT NULL,  -- the statement or event it takes a stand on
    kind TEXT NOT NULL,  -- denies | disputes | confirms | accepts
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX disputes_target ON disputes (article_id, target_id);

CREATE TABLE statement_custody (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL,
    outlet TEXT,  -- the first link of the chain
    via TEXT NOT NULL,  -- JSON list, outermost teller first
    links INTEGER NOT NULL,  -- tellers after the outlet, the speaker included
    modality TEXT NOT NULL,
    PRIMARY KEY (article_id, statement_id)
);
CREATE INDEX statement_custody_modality ON statement_custody (modality);

CREATE TABLE article_voices (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    outlet TEXT NOT NULL,  -- the first link of every chain of custody (site, host or wire)
    outlet_share $real NOT NULL,
    outlet_chars INTEGER NOT NULL,
    body_chars INTEGER NOT NULL,
    loaded_outlet INTEGER NOT NULL,  -- loaded spans in the outlet's own voice
    loaded_quoted INTEGER NOT NULL,  -- loaded spans in the voice of a statement
    countered INTEGER NOT NULL,  -- statements another voice denies or disputes
    data TEXT NOT NULL  -- the contract's `voices` object
);
CREATE INDEX article_voices_outlet ON article_voices (outlet);
