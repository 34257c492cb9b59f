# Sourced by the fleet tests and benchmark: a private PostgreSQL server
# with TLS, started by the test itself and stopped at its end.
#   pg_start DIR   initdb + pg_ctl as user postgres in DIR/pg, a socket in
#                  DIR/sock, a free TCP port on 127.0.0.1 ($PGPORT_T), a
#                  test CA and certificates in DIR/tls (openssl); database
#                  "tasktrace" with docs/fleet/schema.sql and grants.sql
#   pg_stop, pg_restart, pg_admin (psql as the schema's owner)
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_tls() {
	t=$1/tls
	mkdir -p "$t"
	(
	cd "$t" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=tasktrace test CA" \
		-keyout ca.key -out ca.crt 2>/dev/null || exit 1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
		-keyout server.key -out server.csr 2>/dev/null || exit 1
	printf 'subjectAltName=DNS:localhost\n' > server.ext
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-extfile server.ext -out server.crt 2>/dev/null || exit 1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=tasktrace_ship" \
		-keyout client.key -out client.csr 2>/dev/null || exit 1
	openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-out client.crt 2>/dev/null || exit 1
	# a second CA, for a certificate the server must not accept
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other CA" \
		-keyout other-ca.key -out other-ca.crt 2>/dev/null || exit 1
	chmod 600 client.key
	)
}

# Run a PostgreSQL program as postgres, from /: they look up their own path
# from the current directory, and the checkout may be one only root can
# enter.
as_postgres() {
	(cd / && runuser -u postgres -- "$@")
}

pg_start() {
	PGW=$1
	mkdir -p "$PGW/pg" "$PGW/sock"
	chmod 755 "$PGW"
	pg_tls "$PGW" || return 1
	cp "$PGW/tls/server.crt" "$PGW/tls/server.key" "$PGW/tls/ca.crt" "$PGW/pg/" 2>/dev/null
	mkdir -p "$PGW/pgdata"
	chown postgres: "$PGW/pgdata" "$PGW/sock"
	as_postgres "$PGBIN/initdb" -D "$PGW/pgdata" -A trust -U postgres -E UTF8 \
		--no-sync >"$PGW/initdb.log" 2>&1 || { cat "$PGW/initdb.log"; return 1; }
	install -o postgres -m 600 "$PGW/tls/server.key" "$PGW/pgdata/server.key"
	install -o postgres -m 644 "$PGW/tls/server.crt" "$PGW/pgdata/server.crt"
	install -o postgres -m 644 "$PGW/tls/ca.crt" "$PGW/pgdata/ca.crt"
	PGPORT_T=$(free_port)
	cat >>"$PGW/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT_T
unix_socket_directories = '$PGW/sock'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'ca.crt'
max_wal_size = '2GB'
CONF
	cat >"$PGW/pgdata/pg_hba.conf" <<CONF
local all all trust
hostssl all tasktrace_ship 127.0.0.1/32 cert
hostssl all +tasktrace_ship 127.0.0.1/32 cert
host all all 127.0.0.1/32 reject
CONF
	pg_startonly || return 1
	psql -X -q -h "$PGW/sock" -p "$PGPORT_T" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE ROLE tasktrace_admin LOGIN CREATEROLE" \
		-c "CREATE DATABASE tasktrace OWNER tasktrace_admin" >/dev/null || return 1
	pg_admin -f "$TT_TOP/docs/fleet/schema.sql" >/dev/null || return 1
	pg_admin -f "$TT_TOP/docs/fleet/grants.sql" >/dev/null || return 1
}

# A client certificate for role $2 (its CN), in DIR/tls/$2.crt and .key
pg_client_cert() {
	(
	cd "$1/tls" || exit 1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$2.key" -out "$2.csr" \
		2>/dev/null || exit 1
	openssl x509 -req -in "$2.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-out "$2.crt" 2>/dev/null || exit 1
	chmod 600 "$2.key"
	)
}

# psql as the superuser, on the private socket
pg_super() {
	psql -X -q -h "$PGW/sock" -p "$PGPORT_T" -U postgres -d tasktrace -v ON_ERROR_STOP=1 "$@"
}

pg_crash() {
	as_postgres "$PGBIN/pg_ctl" -D "$PGW/pgdata" -m immediate -w stop >/dev/null 2>&1
}

pg_startonly() {
	as_postgres "$PGBIN/pg_ctl" -D "$PGW/pgdata" -l "$PGW/sock/server.log" -w -t 60 \
		start >/dev/null || { tail -n 20 "$PGW/sock/server.log"; return 1; }
}

pg_stop() {
	as_postgres "$PGBIN/pg_ctl" -D "$PGW/pgdata" -m fast -w stop >/dev/null 2>&1
}

# psql as the schema's owner (not a superuser), on the private socket
pg_admin() {
	psql -X -q -h "$PGW/sock" -p "$PGPORT_T" -U tasktrace_admin -d tasktrace \
		-v ON_ERROR_STOP=1 "$@"
}

# the shipping role, over TLS with its certificate
ship_conninfo() {
	echo "host=localhost port=$PGPORT_T dbname=tasktrace user=tasktrace_ship"
}
