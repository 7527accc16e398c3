-- Output contract 2.0, as columns beside `data` for queries: a statement's content parts (the
-- quoted pieces of a quote split by its own cue, a JSON list of spans, '[]' when the content is
-- one piece) and the confidences of the statement and of its speaker link. Rows saved before
-- keep '[]' and NULL here, as they load: parts [] and confidence null.
ALTER TABLE attributions ADD COLUMN content_parts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE attributions ADD COLUMN confidence $real;
ALTER TABLE attributions ADD COLUMN source_confidence $real;

-- A split quote's content span takes in its own source and cue, so a statement's characters are
-- now its content plus its source and cue only where they lie outside it (as Store.save counts
-- them, sayso.store.workbench.total_rows); recounted here for the rows already stored.
UPDATE corpus_totals SET attributed = (
    SELECT coalesce(sum(content_end - content_start
        + CASE WHEN source_start >= content_start AND source_end <= content_end THEN 0
               ELSE coalesce(source_end - source_start, 0) END
        + CASE WHEN cue_start >= content_start AND cue_end <= content_end THEN 0
               ELSE coalesce(cue_end - cue_start, 0) END), 0)
    FROM attributions WHERE parent IS NULL
);
