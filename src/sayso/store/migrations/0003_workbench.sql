-- Covering indexes for the workbench's corpus-wide aggregates: who speaks (statements joined to
-- their speakers), event facets and the event network (events joined to their participants).

CREATE INDEX event_participants_event ON event_participants (article_id, event_id, role);
CREATE INDEX attributions_speaker ON attributions (article_id, source_entity, kind, source_text);
CREATE INDEX entities_speaker ON entities (article_id, id, name, type, country, sector);
CREATE INDEX events_facets ON events (article_id, type, modality);
