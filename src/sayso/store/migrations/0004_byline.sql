-- The byline line as printed (Article.byline), kept when ingest lifts it from scraped text.
ALTER TABLE articles ADD COLUMN byline TEXT;
