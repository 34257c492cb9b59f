-- tasktrace — the central schema for `tasktrace ship` (PostgreSQL 13 or later).
--
-- Run once, as the role that will own the data (not a superuser is fine:
-- it needs CREATE on the database), in the database of your choice:
--     psql -v ON_ERROR_STOP=1 -d tasktrace -f schema.sql
-- then grants.sql. Every object lives in the schema "tasktrace".
--
-- Model. One row per record of a workstation's store in tasktrace.events,
-- keyed by (src, t_ns, seq): src names one store of one host
-- (tasktrace.hosts: host id and store id, both random 128-bit values made
-- when the store was created, so reinstalled or cloned machines do not
-- collide), and (t_ns, seq) is the record's own key in that store, unique
-- there. Shipping is at least once; ON CONFLICT DO NOTHING on that key
-- makes the result exactly once.
--
-- Time. t_ns is UTC, nanoseconds since 1970; ts the same as a timestamptz
-- (microseconds); tz_min the host's offset from UTC, in minutes, at that
-- instant (its /etc/localtime). Local wall-clock time is
-- (ts AT TIME ZONE 'UTC') + tz_min * interval '1 minute' — the view
-- tasktrace.events_v has it as local_ts and local_day.
--
-- Partitions: one per UTC day (events_YYYYMMDD), made ahead on the server
-- by tasktrace.make_days(): this script makes yesterday to a week ahead,
-- and a daily job keeps a week ahead (cron, a systemd timer or pg_cron:
-- psql -d tasktrace -c 'SELECT tasktrace.make_days(7)'), so that hosts
-- reaching a new day at midnight do not race to create it. A host still
-- makes an older day it needs (records shipped late) through
-- tasktrace.ship_days(); both are safe under concurrency. Dropping old
-- data is dropping partitions: DROP TABLE tasktrace.events_20260105;
--
-- Identity: each host may log in as a role of its own (its certificate's
-- CN), member of tasktrace_ship. A store belongs to the role that first
-- registered it (hosts.owner); rows under another role's store are
-- refused, whatever path they take (docs/fleet/README.md, "One role per
-- host").
--
-- Strings (applications, titles, people, devices, key names, executables)
-- are stored once in tasktrace.strings under a 63-bit id the workstation
-- computes (SHA-256 of the bytes, truncated): hosts never need to read the
-- server to intern a string, and the same string has the same id
-- everywhere.

BEGIN;

CREATE SCHEMA tasktrace;

CREATE TABLE tasktrace.schema_version (
	version integer NOT NULL,
	installed timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tasktrace.schema_version (version) VALUES (2);

-- One row per store of a host.
CREATE TABLE tasktrace.hosts (
	src integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	host_id uuid NOT NULL,
	store_id uuid NOT NULL,
	hostname text NOT NULL,		-- or its pseudonym ([ship] hostname)
	owner name NOT NULL DEFAULT session_user,	-- the role that registered it
	first_seen timestamptz NOT NULL DEFAULT now(),
	last_seen timestamptz NOT NULL DEFAULT now(),
	UNIQUE (host_id, store_id)
);

-- Where each store's shipping stands: the high-water mark, the key of the
-- last record of the last committed batch, in the store's order, and the
-- store's late-record generation it has caught up with.
CREATE TABLE tasktrace.ingest_state (
	src integer PRIMARY KEY REFERENCES tasktrace.hosts,
	late_gen bigint NOT NULL DEFAULT 0,
	hwm_ns bigint NOT NULL DEFAULT 0,
	hwm_seq bigint NOT NULL DEFAULT -1,
	batches bigint NOT NULL DEFAULT 0,
	rows_sent bigint NOT NULL DEFAULT 0,	-- rows sent, duplicates included
	updated timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tasktrace.strings (
	id bigint PRIMARY KEY,
	s text NOT NULL
);

CREATE TABLE tasktrace.kinds (
	kind smallint PRIMARY KEY,
	name text NOT NULL UNIQUE
);
INSERT INTO tasktrace.kinds VALUES
	(1, 'typing'), (2, 'key'), (3, 'button'), (4, 'scroll'), (5, 'motion'),
	(6, 'touch'), (7, 'gesture'), (8, 'tablet'), (9, 'focus'), (10, 'idle'),
	(11, 'active'), (12, 'lock'), (13, 'unlock'), (14, 'session'),
	(15, 'device'), (16, 'gap');

-- The records. n1, n2, n3 by kind:
--   typing   keys in the burst, erase keys, what ended it (0 pause, 1 focus,
--            2 click, 3 shortcut, 4 non-text key, 5 lock, 6 max length)
--   key      evdev code, modifier mask                 (name: "Ctrl+C")
--   button   evdev button, clicks, modifier mask
--   scroll   v120 total (positive: down/right), events, axis (0 v, 1 h)
--   motion   distance (1/8 units), events
--   touch    distance (1/8 mm), events, fingers
--   gesture  pinch scale × 1000, type (0 swipe, 1 pinch, 2 hold), fingers
--   tablet   distance (1/8 mm), tool, event (0 proximity, 1 tip, 2 button)
--   focus    pid, flags (1 excluded, 2 title redacted, 4 title only)
--                                                      (name: executable)
--   session  0 start, 1 end;   device  0 added, 1 removed
--   gap      events lost (0 unknown), reason (0 kernel dropped events,
--            1 tracer stopped, 2 tracer started, 3 overflow, 100 expired on
--            the workstation before it could be shipped: dur_ns long)
CREATE TABLE tasktrace.events (
	-- in order of alignment (8-byte columns first), so that no row has
	-- padding between its columns: 20 bytes less per row than in the
	-- order of meaning
	t_ns bigint NOT NULL CHECK (t_ns >= 0),
	seq bigint NOT NULL CHECK (seq >= -1),	-- -1: a gap row of the shipper
	ts timestamptz NOT NULL,
	dur_ns bigint NOT NULL CHECK (dur_ns >= 0),
	person bigint,			-- strings.id: user name or pseudonym
	device bigint,			-- strings.id: device name
	app bigint,			-- strings.id: application id
	title bigint,			-- strings.id: window title or pseudonym
	name bigint,			-- strings.id: key name, executable
	n1 bigint,
	src integer NOT NULL,
	session integer,		-- the store's session number
	n2 integer,
	n3 integer,
	tz_min smallint NOT NULL,
	kind smallint NOT NULL CHECK (kind BETWEEN 1 AND 16),
	PRIMARY KEY (src, t_ns, seq)
) PARTITION BY RANGE (t_ns);

-- Rows the server refused (a constraint, an encoding): kept with the
-- error so that they can be looked at; shipping goes on past them.
CREATE TABLE tasktrace.rejected (
	src integer NOT NULL,
	t_ns bigint,
	seq bigint,
	row_text text NOT NULL,
	error text NOT NULL,
	at timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW tasktrace.events_v AS
SELECT e.src, h.hostname AS host, e.t_ns, e.seq, e.ts, e.tz_min,
       (e.ts AT TIME ZONE 'UTC') + e.tz_min * interval '1 minute' AS local_ts,
       ((e.ts AT TIME ZONE 'UTC') + e.tz_min * interval '1 minute')::date AS local_day,
       e.dur_ns, k.name AS kind, p.s AS person, e.session, d.s AS device,
       a.s AS app, t.s AS title, n.s AS name, e.n1, e.n2, e.n3
FROM tasktrace.events e
JOIN tasktrace.hosts h USING (src)
JOIN tasktrace.kinds k USING (kind)
LEFT JOIN tasktrace.strings p ON p.id = e.person
LEFT JOIN tasktrace.strings d ON d.id = e.device
LEFT JOIN tasktrace.strings a ON a.id = e.app
LEFT JOIN tasktrace.strings t ON t.id = e.title
LEFT JOIN tasktrace.strings n ON n.id = e.name;

-- The shipping role's interface: three functions that run as the schema's
-- owner, so that the role itself needs no right to read anything.

-- Register a store (or see it again) and return where its shipping stands.
CREATE FUNCTION tasktrace.ship_begin(p_host uuid, p_store uuid, p_hostname text,
		OUT src integer, OUT late_gen bigint, OUT hwm_ns bigint, OUT hwm_seq bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO tasktrace.hosts AS h (host_id, store_id, hostname, owner)
	VALUES (p_host, p_store, p_hostname, session_user)
	ON CONFLICT (host_id, store_id)
	DO UPDATE SET hostname = EXCLUDED.hostname, last_seen = now()
	WHERE h.owner = session_user
	RETURNING h.src INTO src;
	IF src IS NULL THEN
		RAISE EXCEPTION 'store % of host % is registered to another role than %',
			p_store, p_host, session_user USING ERRCODE = '42501';
	END IF;
	INSERT INTO tasktrace.ingest_state (src) VALUES (src) ON CONFLICT DO NOTHING;
	SELECT i.late_gen, i.hwm_ns, i.hwm_seq INTO late_gen, hwm_ns, hwm_seq
	FROM tasktrace.ingest_state i WHERE i.src = ship_begin.src;
END $$;

-- Make sure the daily partitions for [p_from_ns, p_to_ns] exist. Safe
-- under concurrency: CREATE TABLE IF NOT EXISTS under an advisory lock,
-- and a partition that another session created after this one last
-- looked (its catalog cache is not refreshed by an advisory lock, so
-- to_regclass() can still say "none") is taken as made, not as an error.
CREATE FUNCTION tasktrace.ship_days(p_from_ns bigint, p_to_ns bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	day_ns constant bigint := 86400000000000;
	d bigint;
	name text;
BEGIN
	IF p_to_ns < p_from_ns OR p_to_ns - p_from_ns > 400 * day_ns THEN
		RAISE EXCEPTION 'ship_days: a batch spans % to % ns: more than 400 days',
			p_from_ns, p_to_ns USING ERRCODE = '22023';
	END IF;
	d := p_from_ns - p_from_ns % day_ns - CASE WHEN p_from_ns % day_ns < 0 THEN day_ns ELSE 0 END;
	WHILE d <= p_to_ns LOOP
		name := 'events_' || to_char(to_timestamp(d / 1e9) AT TIME ZONE 'UTC', 'YYYYMMDD');
		IF to_regclass('tasktrace.' || name) IS NULL THEN
			PERFORM pg_advisory_xact_lock(hashtext('tasktrace.ship_days'));
			BEGIN
				EXECUTE format('CREATE TABLE IF NOT EXISTS tasktrace.%I PARTITION OF '
					       'tasktrace.events FOR VALUES FROM (%s) TO (%s)',
					       name, d, d + day_ns);
			EXCEPTION WHEN duplicate_table OR unique_violation THEN
				NULL;	-- made by another session meanwhile
			END;
		END IF;
		d := d + day_ns;
	END LOOP;
END $$;

-- The server's own job: the partitions from yesterday to @p_days ahead
-- (UTC). Run daily by the administrator (see the top of this file).
CREATE FUNCTION tasktrace.make_days(p_days integer DEFAULT 7)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT tasktrace.ship_days(
		(extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC')
			 AT TIME ZONE 'UTC')::bigint - 86400) * 1000000000,
		(extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC')
			 AT TIME ZONE 'UTC')::bigint + p_days::bigint * 86400) * 1000000000);
$$;

-- One role per host: rows may go only under a store the inserting role
-- registered. A statement trigger (COPY into a table with row-level
-- security is refused, so a policy would cost the binary path): one check
-- of the statement's new rows against tasktrace.hosts. Roles that are not
-- shipping roles (the schema's owner, maintenance) are not restricted.
CREATE FUNCTION tasktrace.events_own_src()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	bad integer;
BEGIN
	IF to_regrole('tasktrace_ship') IS NULL THEN
		RETURN NULL;
	END IF;
	IF NOT pg_has_role(session_user, 'tasktrace_ship', 'MEMBER') THEN
		RETURN NULL;
	END IF;
	SELECT n.src INTO bad FROM new_rows n
	WHERE NOT EXISTS (SELECT 1 FROM tasktrace.hosts h
			  WHERE h.src = n.src AND h.owner = session_user)
	LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'rows for src % refused: that store is not registered to role %',
			bad, session_user USING ERRCODE = '42501';
	END IF;
	RETURN NULL;
END $$;

-- Move a store's high-water mark forward (never back) at the end of a
-- batch, in the batch's transaction.
CREATE FUNCTION tasktrace.ship_advance(p_host uuid, p_store uuid, p_late_gen bigint,
		p_hwm_ns bigint, p_hwm_seq bigint, p_rows bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE tasktrace.ingest_state i
	SET late_gen = p_late_gen, hwm_ns = p_hwm_ns, hwm_seq = p_hwm_seq,
	    batches = i.batches + 1, rows_sent = i.rows_sent + p_rows, updated = now()
	FROM tasktrace.hosts h
	WHERE h.host_id = p_host AND h.store_id = p_store AND i.src = h.src
	  AND (i.late_gen, i.hwm_ns, i.hwm_seq) <= (p_late_gen, p_hwm_ns, p_hwm_seq);
END $$;

REVOKE ALL ON FUNCTION tasktrace.ship_begin(uuid, uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tasktrace.ship_days(bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION tasktrace.make_days(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION tasktrace.events_own_src() FROM PUBLIC;
REVOKE ALL ON FUNCTION tasktrace.ship_advance(uuid, uuid, bigint, bigint, bigint, bigint) FROM PUBLIC;

CREATE TRIGGER events_own_src AFTER INSERT ON tasktrace.events
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION tasktrace.events_own_src();
CREATE TRIGGER rejected_own_src AFTER INSERT ON tasktrace.rejected
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION tasktrace.events_own_src();

COMMIT;

-- Partitions for yesterday to a week ahead, now (after COMMIT: the roles
-- of grants.sql are not needed for it).
SELECT tasktrace.make_days(7);
