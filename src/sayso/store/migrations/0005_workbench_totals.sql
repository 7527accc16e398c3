-- Corpus-wide totals for the workbench, kept in step by Store.save in the article's own
-- transaction (sayso.store.workbench.total_rows), so a page never re-aggregates the whole ledger;
-- and what each statement is about (the entities mentioned in its content), derived at save time.
-- Each table is filled here from the rows an existing store already holds. Unknown values are
-- stored as '' (NULLs never conflict in a unique key) and read back as NULL.

CREATE TABLE speaker_totals (
    name TEXT NOT NULL,  -- the resolved entity's name, else the words naming the source
    type TEXT NOT NULL,
    country TEXT NOT NULL,
    sector TEXT NOT NULL,
    kind TEXT NOT NULL,
    statements INTEGER NOT NULL,
    PRIMARY KEY (name, type, country, sector, kind)
);
INSERT INTO speaker_totals (name, type, country, sector, kind, statements)
SELECT coalesce(e.name, s.source_text, ''), coalesce(e.type, ''), coalesce(e.country, ''),
       coalesce(e.sector, ''), s.kind, count(*)
FROM attributions s LEFT JOIN entities e ON e.article_id = s.article_id AND e.id = s.source_entity
GROUP BY coalesce(e.name, s.source_text, ''), coalesce(e.type, ''), coalesce(e.country, ''),
         coalesce(e.sector, ''), s.kind;

-- One row: characters of all bodies, and how many lie in a top-level statement.
CREATE TABLE corpus_totals (
    id INTEGER PRIMARY KEY,
    chars BIGINT NOT NULL,
    attributed BIGINT NOT NULL
);
INSERT INTO corpus_totals (id, chars, attributed)
SELECT 1, (SELECT coalesce(sum(length(text)), 0) FROM articles),
       (SELECT coalesce(sum(content_end - content_start + coalesce(source_end - source_start, 0)
                            + coalesce(cue_end - cue_start, 0)), 0)
        FROM attributions WHERE parent IS NULL);

-- Events per publication day, type and modality: country '' counts every event, an ISO3 code
-- the events with at least one actor from that country (what the events page filters on).
CREATE TABLE event_totals (
    day TEXT NOT NULL,
    type TEXT NOT NULL,
    modality TEXT NOT NULL,
    country TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (country, type, modality, day)
);
INSERT INTO event_totals (day, type, modality, country, n)
SELECT coalesce(substr(a.published, 1, 10), ''), ev.type, ev.modality, '', count(*)
FROM events ev JOIN articles a ON a.id = ev.article_id
GROUP BY coalesce(substr(a.published, 1, 10), ''), ev.type, ev.modality;
INSERT INTO event_totals (day, type, modality, country, n)
SELECT day, type, modality, country, count(*) FROM (
    SELECT DISTINCT ev.article_id, ev.seq, coalesce(substr(a.published, 1, 10), '') AS day,
           ev.type, ev.modality, e.country
    FROM events ev JOIN articles a ON a.id = ev.article_id
    JOIN event_participants p ON p.article_id = ev.article_id AND p.event_id = ev.id
    JOIN entities e ON e.article_id = p.article_id AND e.id = p.entity_id
    WHERE p.role = 'actor' AND e.country IS NOT NULL
) actor_events
GROUP BY day, type, modality, country;

-- The entities a statement's content mentions, its own speaker aside: what it is "about".
CREATE TABLE statement_subjects (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,  -- the statement's attributions.seq
    entity_id TEXT NOT NULL
);
INSERT INTO statement_subjects (article_id, seq, entity_id)
SELECT DISTINCT s.article_id, s.seq, m.entity_id
FROM attributions s JOIN mentions m ON m.article_id = s.article_id
AND m.start_char >= s.content_start AND m.end_char <= s.content_end
AND m.entity_id <> coalesce(s.source_entity, '');
CREATE INDEX statement_subjects_entity ON statement_subjects (article_id, entity_id, seq);

-- Who did what to whom, counted under the same country scheme as event_totals: one row per
-- (event, actor, recipient) pair, so the events page draws its network without joining
-- participants to entities twice.
CREATE TABLE edge_totals (
    country TEXT NOT NULL,
    type TEXT NOT NULL,
    modality TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_country TEXT NOT NULL,
    recipient TEXT NOT NULL,
    recipient_country TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (country, type, modality, actor, actor_country, recipient, recipient_country)
);
CREATE TEMPORARY TABLE backfill_edges AS
SELECT ev.article_id, ev.seq, ev.type, ev.modality, ea.name AS actor,
       coalesce(ea.country, '') AS actor_country, er.name AS recipient,
       coalesce(er.country, '') AS recipient_country
FROM events ev
JOIN event_participants pa ON pa.article_id = ev.article_id AND pa.event_id = ev.id
AND pa.role = 'actor'
JOIN entities ea ON ea.article_id = pa.article_id AND ea.id = pa.entity_id
JOIN event_participants pr ON pr.article_id = ev.article_id AND pr.event_id = ev.id
AND pr.role = 'recipient'
JOIN entities er ON er.article_id = pr.article_id AND er.id = pr.entity_id;
INSERT INTO edge_totals
    (country, type, modality, actor, actor_country, recipient, recipient_country, n)
SELECT '', type, modality, actor, actor_country, recipient, recipient_country, count(*)
FROM backfill_edges GROUP BY type, modality, actor, actor_country, recipient, recipient_country;
INSERT INTO edge_totals
    (country, type, modality, actor, actor_country, recipient, recipient_country, n)
SELECT c.country, x.type, x.modality, x.actor, x.actor_country, x.recipient,
       x.recipient_country, count(*)
FROM backfill_edges x JOIN (
    SELECT DISTINCT ev.article_id, ev.seq, e.country
    FROM events ev
    JOIN event_participants p ON p.article_id = ev.article_id AND p.event_id = ev.id
    JOIN entities e ON e.article_id = p.article_id AND e.id = p.entity_id
    WHERE p.role = 'actor' AND e.country IS NOT NULL
) c ON c.article_id = x.article_id AND c.seq = x.seq
GROUP BY c.country, x.type, x.modality, x.actor, x.actor_country, x.recipient,
         x.recipient_country;
DROP TABLE backfill_edges;
