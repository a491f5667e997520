-- Removes what Strangler's CDC created in ONE database: run it in the legacy database and in each
-- service database of the migration config, once the CDC process is stopped (and, on the Debezium
-- transport, its connectors are deleted from Kafka Connect), e.g.
--
--   psql "postgresql://…/legacy" -v ON_ERROR_STOP=1 -f docs/remove-cdc.sql
--
-- See README.md, "Use Strangler on your own monolith". In this database it:
--   1. refuses to run while a toolkit replication slot is in use (nothing is changed then);
--   2. drops the sinks' replication origins (cluster-wide: `strangler_sink_<direction>`; to keep
--      another migration's on the same server, narrow the prefix first:
--      SET strangler.origin_prefix = 'strangler_sink_<legacy name>_to_';);
--   3. sets REPLICA IDENTITY DEFAULT on every table of the toolkit's publications (the toolkit set
--      FULL; a table you had set to FULL yourself must be set back by hand), then drops those
--      publications (`strangler_<service>`, `…_reverse`, `strangler_dbz_…`);
--   4. drops the schema strangler_cdc (source_state, row_positions, table_truncations, dead_letters);
--   5. drops the toolkit's replication slots of this database (last: a dropped slot cannot be rolled
--      back, and its WAL is released at once).
-- Plain SQL (no psql meta-commands): any client can run it. Running it twice is harmless.
DO $remove_cdc$
DECLARE
  origin_prefix text := coalesce(nullif(current_setting('strangler.origin_prefix', true), ''), 'strangler_sink_');
  busy record;
  origin record;
  pub record;
  tbl record;
  slot record;
BEGIN
  SELECT slot_name, active_pid INTO busy FROM pg_replication_slots
   WHERE database = current_database() AND slot_name LIKE 'strangler\_%' AND active LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'replication slot % is in use (pid %): stop the CDC process (Debezium: delete the connector) first', busy.slot_name, busy.active_pid;
  END IF;

  FOR origin IN SELECT roname FROM pg_replication_origin WHERE starts_with(roname, origin_prefix) LOOP
    PERFORM pg_replication_origin_drop(origin.roname);
    RAISE NOTICE 'dropped replication origin %', origin.roname;
  END LOOP;

  FOR pub IN SELECT pubname FROM pg_publication WHERE pubname LIKE 'strangler\_%' LOOP
    FOR tbl IN SELECT c.oid::regclass AS name FROM pg_publication_tables t
                 JOIN pg_namespace n ON n.nspname = t.schemaname
                 JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename
                WHERE t.pubname = pub.pubname AND c.relreplident = 'f' LOOP
      EXECUTE format('ALTER TABLE %s REPLICA IDENTITY DEFAULT', tbl.name);
      RAISE NOTICE 'replica identity of % back to default', tbl.name;
    END LOOP;
    EXECUTE format('DROP PUBLICATION %I', pub.pubname);
    RAISE NOTICE 'dropped publication %', pub.pubname;
  END LOOP;

  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'strangler_cdc') THEN
    DROP SCHEMA strangler_cdc CASCADE;
    RAISE NOTICE 'dropped schema strangler_cdc';
  END IF;

  FOR slot IN SELECT slot_name FROM pg_replication_slots
               WHERE database = current_database() AND slot_name LIKE 'strangler\_%' AND NOT temporary LOOP
    PERFORM pg_drop_replication_slot(slot.slot_name);
    RAISE NOTICE 'dropped replication slot %', slot.slot_name;
  END LOOP;
END
$remove_cdc$;
