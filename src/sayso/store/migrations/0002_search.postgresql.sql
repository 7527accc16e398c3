-- Full-text search over article bodies and statement contents: generated tsvector columns
-- (filled for existing rows by ALTER TABLE) with GIN indexes.

ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('english', coalesce(title, '') || ' ' || text)
) STORED;
CREATE INDEX articles_search ON articles USING gin (search);

ALTER TABLE attributions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('english', content_text)
) STORED;
CREATE INDEX attributions_search ON attributions USING gin (search);
