-- The full-text tables of 0002 again, with their content tables spelled content="articles" as
-- Datasette looks for them (it reads only that spelling, or content=[articles]), so Datasette
-- offers search on articles and attributions. Same columns, rowids and tokenizer; the triggers
-- of 0002 name the tables, not their spelling, and keep working.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content="articles", content_rowid="rowid",
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

DROP TABLE attributions_fts;
CREATE VIRTUAL TABLE attributions_fts USING fts5 (
    content_text, content="attributions", content_rowid="rowid",
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO attributions_fts (attributions_fts) VALUES ('rebuild');
