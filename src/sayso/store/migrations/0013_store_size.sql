-- Fewer bytes per article: drop the copies a store held twice. entities_id and
-- attributions_source are the leading columns of entities_speaker and attributions_speaker
-- (0003), which serve every lookup they did; mentions_entity served no query (what a statement
-- is about is kept in statement_subjects, derived at save time); a mention's and an
-- assertion's text is the body's own text[start_char:end_char] (and in `data` for assertions,
-- rebuilt from the offsets), so the columns repeating it go. Space an existing SQLite store
-- frees is reused by later articles (VACUUM gives it back to the file system).
DROP INDEX entities_id;
DROP INDEX attributions_source;
DROP INDEX mentions_entity;
ALTER TABLE mentions DROP COLUMN text;
ALTER TABLE assertions DROP COLUMN text;
