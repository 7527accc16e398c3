-- Fewer bytes per article: drop the indexes no query of sayso's reads (checked with EXPLAIN QUERY
-- PLAN over the store's and the workbench's statements). Times and framing are only ever read
-- by article (their primary key), chains of custody only by SQL users, and identities and their
-- members by id, never by machine name or machine id; a query that filters on these columns
-- still answers, by scanning. The record rows themselves also got smaller (compact `data`
-- without the fields their columns hold, sayso.store.records), which needs no migration: rows
-- written before decode as they are; this version number is what makes an older sayso, which
-- would misread the new rows, refuse the store. IF EXISTS: a store rebuilt by hand may lack one.
DROP INDEX IF EXISTS times_value;
DROP INDEX IF EXISTS framing_technique;
DROP INDEX IF EXISTS statement_custody_modality;
DROP INDEX IF EXISTS identities_name;
DROP INDEX IF EXISTS identity_members_machine;
