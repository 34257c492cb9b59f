-- tasktrace — roles for the central schema (after schema.sql), run by a
-- role that may create roles (or create them yourself and skip those lines):
--     psql -v ON_ERROR_STOP=1 -d tasktrace -f grants.sql
--
-- tasktrace_ship      the workstations: may insert records and strings and
--                     call the three ship_* functions; can read, change or
--                     delete nothing (not even what it inserted).
-- tasktrace_analyst   people and reports: may read everything, change
--                     nothing. Grant it to persons: GRANT tasktrace_analyst TO alice;
--
-- The shipping role logs in with a client certificate (pg_hba.conf:
-- "hostssl tasktrace tasktrace_ship 0.0.0.0/0 cert map=tasktrace" with the
-- certificate's CN mapped to tasktrace_ship in pg_ident.conf).

BEGIN;

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tasktrace_ship') THEN
		CREATE ROLE tasktrace_ship LOGIN NOINHERIT;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tasktrace_analyst') THEN
		CREATE ROLE tasktrace_analyst NOLOGIN;
	END IF;
	-- Records the server may have already go through a temporary table
	-- (ON CONFLICT needs a table to select from).
	EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO tasktrace_ship',
		       current_database());
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO tasktrace_analyst',
		       current_database());
END $$;

REVOKE ALL ON SCHEMA tasktrace FROM PUBLIC;
GRANT USAGE ON SCHEMA tasktrace TO tasktrace_ship, tasktrace_analyst;

GRANT INSERT ON tasktrace.events, tasktrace.strings, tasktrace.rejected TO tasktrace_ship;
GRANT EXECUTE ON FUNCTION tasktrace.ship_begin(uuid, uuid, text),
		tasktrace.ship_days(bigint, bigint),
		tasktrace.ship_advance(uuid, uuid, bigint, bigint, bigint, bigint)
	TO tasktrace_ship;

GRANT SELECT ON ALL TABLES IN SCHEMA tasktrace TO tasktrace_analyst;

COMMIT;
