# Issue 18, item 6, on the real path: a virtual keyboard (uinput) types 25
# letters, 5 digits and Enter while a collector stand-in, over the real
# socket and as the session's user, reports that a password field of the
# focused window has the focus (ELEMENT, flag 1). A burst that long would
# keep its counts rounded (25, 5: see 31-privacy-password.sh); typed into
# a password field it must leave nothing but "hidden":
# - one typing record, "hidden": no counts, no "under", no end reason, its
#   element "password text" without the field's name;
# - no key record (not even Enter);
# - the store's raw bytes, every export and the tracer's log hold neither
#   the counts nor the length (30 or 31 keys) nor any key time, offset or
#   interval (tasktrace-bytescan --counts/--length/--evdev);
# - the field's name ("Password") is nowhere in the store.
# Positive control: the same keys into a text field ("Search") in a fresh
# store keep their rounded counts, which the same scan finds, and the
# element "text<TAB>Search": the keys arrived and only the password field
# hid them.

# a b … y 1 2 3 4 5 Enter
EL_KEYS='30:0 48:0 46:0 32:0 18:0 33:0 34:0 35:0 23:0 36:0 37:0 38:0 50:0
49:0 24:0 25:0 16:0 19:0 31:0 20:0 22:0 47:0 17:0 45:0 21:0 2:0 3:0 4:0 5:0 6:0 28:0'
EL_WIN=0x2a00001

# el_gen_keys KEYS: an evemu keyboard pressing KEYS a key every 60 ms, each
# held 30 ms (as 31-privacy-password.sh's, kept apart: checks share nothing)
el_gen_keys() {
	echo $1 | tr ' ' '\n' | awk -F: '
	function ev(t, code, v) {
		printf "E: %d.%06d 0001 %04x %d\nE: %d.%06d 0000 0000 0\n",
			t / 1e6, t % 1e6, code, v, t / 1e6, t % 1e6
	}
	BEGIN {
		print "# EVEMU 1.3"
		print "# SYNTHETIC: tests/system/guest/checks/32-tracer-element-password.sh"
		print "N: tasktrace synthetic keyboard"
		print "I: 0003 1209 0002 0001"
		print "P: 00 00 00 00 00 00 00 00"
		print "B: 00 0b 00 00 00 00 00 00 00"
		print "B: 01 fe ff ff ff ff ff ff ff"
		print "B: 01 ff ff ff ff ff ff ff ff"
		for (l = 2; l < 12; l++) print "B: 01 00 00 00 00 00 00 00 00"
		t = 100000
	}
	NF == 2 {
		ev(t, $1, 1)
		ev(t + 30000, $1, 0)
		t += 60000
	}'
}

# el_type NAME: replay /tmp/el.evemu while a raw reader dumps the node's
# events to /tmp/NAME.raw
el_type() {
	local log=/tmp/$1.replay node i=0 cpid rpid
	timeout 60 tasktrace-replay --wait-reader 20000 --settle 1500 --hold 300 -v \
		/tmp/el.evemu > "$log" 2>&1 &
	rpid=$!
	while ! grep -q 'device /dev/input/' "$log" && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	node=$(sed -n 's|.*device \(/dev/input/event[0-9]*\).*|\1|p' "$log")
	cat "$node" > "/tmp/$1.raw" 2>/dev/null &
	cpid=$!
	wait "$rpid"
	expect_eq "element $1: replay exit" 0 $?
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
}

# el_run NAME "ROLE|NAME" FLAGS: a tracer, the stand-in reporting that
# element in front, the keys typed; the stand-in's output in /tmp/NAME.standin
el_run() {
	rm -rf "$TT_DIR/$1" /tmp/el.fifo
	tracer_start "$TT_DIR/$1"
	mkfifo /tmp/el.fifo
	tasktrace-collector-standin --socket "$TT_DIR/c.sock" --uid "$TT_UID" \
		< /tmp/el.fifo > "/tmp/$1.standin" 2>&1 &
	EL_SPID=$!
	exec 7> /tmp/el.fifo
	echo welcome >&7
	echo hello >&7
	echo "focus $EL_WIN firefox Login" >&7
	echo "element $EL_WIN $3 $2" >&7
	sleep 0.5
	el_type "$1"
	sleep 2
	exec 7>&-
	wait "$EL_SPID"
	expect_eq "element $1: stand-in exit" 0 $?
	tracer_stop TERM
	expect_eq "element $1: tasktraced exit" 0 "$TT_RC"
	tt_verify
	expect_eq "element $1: tasktrace verify" 0 "$TT_VRC"
	tt_query
}

el_gen_keys "$EL_KEYS" > /tmp/el.evemu
tracer_conf
logind_session active

el_run elpw 'password text|Password' 1
expect_eq "element: the tracer sent WELCOME with ELEMENT" 1 \
	"$(grep -c 'welcome types=0x[0-9a-f]*[2367abef][0-9a-f]$' /tmp/elpw.standin)"
echo "# element password: $(wc -l < "$TT_Q") records: $(q_values kind '.')"
expect_eq "element password: the raw reader saw every key event" 62 \
	"$(tasktrace-bytescan --list-keys /tmp/elpw.raw | grep -c .)"
expect_eq "element password: one typing burst" 1 "$(q_count '"kind":"typing"')"
expect_eq "element password: no key records" 0 "$(q_count '"kind":"key"')"
pw=$(grep '"kind":"typing"' "$TT_Q")
echo "# password field burst: $pw"
expect_eq "element password: hidden, with its element and nothing more" \
	'time time_ns dur_ns seq kind uid user session device app title element hidden' \
	"$(echo "$pw" | tr ',' '\n' | sed -n 's/^{\{0,1\}"\([a-z_]*\)":.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "element password: the element is the field's role only" 1 \
	"$(echo "$pw" | grep -c '"element":"password text"')"
expect_eq "element password: the field's name is not in the store" 0 \
	"$(cat "$TT_STORE"/data.mdb | grep -a -c 'Password')"

for fmt in csv xes ocel jsonl; do
	tasktrace --store "$TT_STORE" export --format "$fmt" --no-pseudonymize -q -o "/tmp/elpw.$fmt"
	expect_eq "element password export $fmt exit" 0 $?
done
expect_eq "element password jsonl export: hidden" 1 "$(grep -c '"hidden":true' /tmp/elpw.jsonl)"
tasktrace --store "$TT_STORE" query > /tmp/elpw.table
expect_eq "element password query table: 'hidden on password text'" 1 \
	"$(grep -c 'hidden on password text' /tmp/elpw.table)"

allow=$(sed -n 's/.*"time_ns":\([0-9]*\),"dur_ns":\([0-9]*\),.*/--allow-record \1:\2/p' "$TT_Q")
tail -c +25 /tmp/elpw.raw > /tmp/elpw-text.raw
tasktrace-bytescan --counts 25,5 --counts 25,5,0,0,1 --counts 25,5,0,0,0 \
	--length 30 --length 31 --evdev /tmp/elpw.raw --evdev /tmp/elpw-text.raw $allow \
	"$TT_STORE"/*.mdb /tmp/elpw.csv /tmp/elpw.xes /tmp/elpw.ocel /tmp/elpw.jsonl \
	/tmp/elpw.table "$TT_LOG" > /tmp/elpw.scan
scan_rc=$?
sed 's/^/# /' /tmp/elpw.scan | head -n 25
expect_eq "element password scan: no count, length or key time in store, exports, log" 0 "$scan_rc"
expect_eq "element password scan: no key time is a record's start or end" 0 \
	"$(sed -n 's/.*(\([0-9]*\) are record edges).*/\1/p' /tmp/elpw.scan | head -n 1)"

# Positive control: the same keys into a labelled text field
el_run elctl 'text|Search' 2
ctl=$(grep '"kind":"typing"' "$TT_Q")
echo "# text field burst: $ctl"
expect_eq "element control: the text field keeps rounded counts" 1 \
	"$(echo "$ctl" | grep -c '"counts":{"letter":25,"digit":5,')"
expect_eq "element control: and its element" 1 "$(echo "$ctl" | grep -c -F '"element":"text\tSearch"')"
tasktrace-bytescan --counts 25,5 "$TT_STORE"/data.mdb > /tmp/elctl.scan
expect_eq "element control: the scan finds the counts in data.mdb" 1 $?
tasktrace-bytescan --evdev /tmp/elctl.raw "$TT_STORE"/data.mdb > /tmp/elctl.scan
expect_eq "element control: the scan finds the burst's own times in data.mdb" 1 $?
