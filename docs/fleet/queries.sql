-- tasktrace — example queries on the central schema, as tasktrace_analyst.
--     psql -d tasktrace -f queries.sql
-- Days and hours are the workstation's local ones (local_ts, local_day).

-- 1. Time per application per person per day (hours). A focus record
--    starts a stretch in an application that ends at the next focus,
--    idle, lock or session record of the same store and session; stretches
--    are capped at 2 hours so that a missing record cannot make days of one.
\echo '== time per application per person per day'
WITH marks AS (
	SELECT src, session, person, local_day, kind, app, ts,
	       lead(ts) OVER (PARTITION BY src, session ORDER BY t_ns, seq) AS next_ts
	FROM tasktrace.events_v
	WHERE kind IN ('focus', 'idle', 'lock', 'session')
)
SELECT local_day, person, app,
       round(sum(extract(epoch FROM least(next_ts - ts, interval '2 hours'))) / 3600, 2) AS hours
FROM marks
WHERE kind = 'focus' AND next_ts IS NOT NULL AND app IS NOT NULL
GROUP BY local_day, person, app
ORDER BY local_day, person, hours DESC;

-- 2. Top transitions between applications, over every person.
\echo '== top application transitions'
WITH f AS (
	SELECT app, lag(app) OVER (PARTITION BY src, session ORDER BY t_ns, seq) AS prev_app
	FROM tasktrace.events_v
	WHERE kind = 'focus'
)
SELECT prev_app AS from_app, app AS to_app, count(*) AS transitions
FROM f
WHERE prev_app IS NOT NULL AND prev_app <> app
GROUP BY prev_app, app
ORDER BY transitions DESC, from_app, to_app
LIMIT 20;

-- 3. Copy-paste flows across the fleet: a Ctrl+C in one application
--    followed, in the same session, by a Ctrl+V (the next copy or paste
--    key of that session) in another or the same one.
\echo '== copy-paste flows'
WITH cp AS (
	SELECT app, name,
	       lag(app) OVER w AS prev_app, lag(name) OVER w AS prev_name
	FROM tasktrace.events_v
	WHERE kind = 'key' AND name IN ('Ctrl+C', 'Ctrl+V')
	WINDOW w AS (PARTITION BY src, session ORDER BY t_ns, seq)
)
SELECT prev_app AS copied_in, app AS pasted_in, count(*) AS flows
FROM cp
WHERE name = 'Ctrl+V' AND prev_name = 'Ctrl+C'
GROUP BY prev_app, app
ORDER BY flows DESC, copied_in, pasted_in
LIMIT 20;

-- 4. Shipping: how far each store is, and rows the server refused.
\echo '== ingest state'
SELECT h.hostname, h.store_id, i.hwm_ns, to_timestamp(i.hwm_ns / 1e9) AS hwm,
       i.batches, i.rows_sent, i.updated
FROM tasktrace.ingest_state i JOIN tasktrace.hosts h USING (src)
ORDER BY h.hostname;
SELECT count(*) AS rejected_rows FROM tasktrace.rejected;
