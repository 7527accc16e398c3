-- Across articles (sayso.compare, filled by sayso.store.compare as articles are added).
-- Reprints: each article's MinHash signature and shingle hashes (what the LSH index is rebuilt
-- from), the checked reprint pairs, and for every copy its origin and what it changed.
-- Claims: each statement's sentence embedding, and the statements of other articles that
-- carry the same claim, contradict it, or are its copy in a reprint.
CREATE TABLE article_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    minhash $blob NOT NULL,  -- uint32 MinHash values (sayso.compare.reprints.NUM_PERM)
    shingles $blob NOT NULL  -- sorted unique uint64 hashes of word 5-grams
);

CREATE TABLE reprint_pairs (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    other_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    similarity $real NOT NULL,  -- shared shingles over the shorter article's
    PRIMARY KEY (article_id, other_id)
);
CREATE INDEX reprint_pairs_other ON reprint_pairs (other_id);

CREATE TABLE reprints (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,  -- a copy
    origin_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,  -- earliest published
    kind TEXT NOT NULL,  -- verbatim (at most a new headline) | edited
    similarity $real NOT NULL,
    differences TEXT NOT NULL  -- JSON list: {kind: cut|added|reworded|headline, origin, copy, ...}
);
CREATE INDEX reprints_origin ON reprints (origin_id);

CREATE TABLE statement_vectors (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    vector $blob NOT NULL,  -- float32 unit vector of the content (sayso.compare.embed)
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE claim_matches (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    other_article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    other_seq INTEGER NOT NULL,
    relation TEXT NOT NULL,  -- same | contradicts | copy (each pair stored both ways)
    score $real NOT NULL,
    PRIMARY KEY (article_id, seq, other_article_id, other_seq)
);
CREATE INDEX claim_matches_other ON claim_matches (other_article_id, other_seq);
