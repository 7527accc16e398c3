-- Each statement with its article and its resolved speaker's name, type, country and sector, for
-- tools that read tables rather than sayso's records (Datasette, SQL shells, BI tools). Records
-- link to each other within an article by (article_id, id), a compound key that Datasette does
-- not follow; this view does the joins it would need. Speaker columns are NULL while unresolved.
CREATE VIEW statements AS
SELECT s.article_id, s.seq, s.id, a.title, a.published, a.site, a.url, s.kind, s.parent,
       s.source_text, e.name AS speaker_name, e.type AS speaker_type,
       e.country AS speaker_country, e.sector AS speaker_sector, s.cue_text, s.content_text,
       s.content_parts, s.addressee_text, s.medium_text, s.time_text, s.confidence,
       s.source_confidence
FROM attributions s JOIN articles a ON a.id = s.article_id
LEFT JOIN entities e ON e.article_id = s.article_id AND e.id = s.source_entity;
