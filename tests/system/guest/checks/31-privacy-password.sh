# Privacy on the real path, issue 14: a virtual keyboard (uinput) types the
# password Tr0ub4dor&3 and Enter at a prompt, a key every 60 ms, in an
# active session. The burst is short (12 keys < min_burst_keys 20), so the
# store must hold its size only:
# - one typing record, "under 20 keys": no counts, no end reason (so not
#   that Enter ended it), its start and end moved out (the 5 s grid, or an
#   earlier record) so that its duration does not give the length either:
#   no key's time is a record's start or end;
# - the store's raw bytes (data.mdb, lock.mdb), every export and the
#   tracer's log hold neither the length (11 characters, 12 keys with
#   Enter) nor the class counts (7 letters, 4 digits as the issue saw them,
#   or 7 letters, 3 digits, 1 punctuation as the layout types them: '&' is
#   Shift+7) in any form the store or a reader could use (tasktrace-bytescan
#   --counts/--length), nor any key time, offset or interval (--evdev).
# Positive control, in the same store: after it, 25 letters, 5 digits and
# Enter (31 keys, a long burst: counts rounded to 25, 5; 30 keys) are found
# by the same scans, in data.mdb and in the JSON Lines export, and the
# long burst's own key times are found when they are not allowed.

# T r 0 u b 4 d o r & 3 Enter, as "code:shift" (US layout)
PW_KEYS='20:1 19:0 11:0 22:0 48:0 5:0 32:0 24:0 19:0 8:1 4:0 28:0'
# a b … y 1 2 3 4 5 Enter
LONG_KEYS='30:0 48:0 46:0 32:0 18:0 33:0 34:0 35:0 23:0 36:0 37:0 38:0 50:0
49:0 24:0 25:0 16:0 19:0 31:0 20:0 22:0 47:0 17:0 45:0 21:0 2:0 3:0 4:0 5:0 6:0 28:0'

# gen_keys KEYS: an evemu keyboard pressing KEYS a key every 60 ms, each
# held 30 ms; Shift goes down 30 ms before its key (as the key before is
# released) and up with it: every interval is 30 ms, which bytescan
# searches as ns (fixed-width and varint) and as a us varint
gen_keys() {
	echo $1 | tr ' ' '\n' | awk -F: '
	function ev(t, code, v) {
		printf "E: %d.%06d 0001 %04x %d\nE: %d.%06d 0000 0000 0\n",
			t / 1e6, t % 1e6, code, v, t / 1e6, t % 1e6
	}
	BEGIN {
		print "# EVEMU 1.3"
		print "# SYNTHETIC: tests/system/guest/checks/31-privacy-password.sh types a test password"
		print "N: tasktrace synthetic keyboard"
		print "I: 0003 1209 0002 0001"
		print "P: 00 00 00 00 00 00 00 00"
		print "B: 00 0b 00 00 00 00 00 00 00"
		print "B: 01 fe ff ff ff ff ff ff ff"	# KEY_ESC..KEY_KPDOT
		print "B: 01 ff ff ff ff ff ff ff ff"
		for (l = 2; l < 12; l++) print "B: 01 00 00 00 00 00 00 00 00"
		t = 100000
	}
	NF == 2 {
		if ($2) ev(t - 30000, 42, 1)
		ev(t, $1, 1)
		ev(t + 30000, $1, 0)
		if ($2) ev(t + 30000, 42, 0)
		t += 60000
	}'
}

# pw_type NAME: replay /tmp/NAME.evemu while a raw reader dumps the node's
# events to /tmp/NAME.raw
pw_type() {
	local log=/tmp/$1.replay node i=0 cpid rpid
	timeout 60 tasktrace-replay --wait-reader 20000 --settle 1500 --hold 300 -v \
		"/tmp/$1.evemu" > "$log" 2>&1 &
	rpid=$!
	while ! grep -q 'device /dev/input/' "$log" && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	node=$(sed -n 's|.*device \(/dev/input/event[0-9]*\).*|\1|p' "$log")
	cat "$node" > "/tmp/$1.raw" 2>/dev/null &
	cpid=$!
	wait "$rpid"
	expect_eq "password $1: replay exit" 0 $?
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
}

gen_keys "$PW_KEYS" > /tmp/pw.evemu
gen_keys "$LONG_KEYS" > /tmp/pwlong.evemu
tracer_conf
logind_session active
rm -rf "$TT_DIR/password"
tracer_start "$TT_DIR/password"
pw_type pw
# the burst closes after the typing pause (1.5 s): the long one is apart
sleep 2
pw_type pwlong
tracer_stop TERM
expect_eq "password tasktraced exit" 0 "$TT_RC"
tt_verify
expect_eq "password tasktrace verify" 0 "$TT_VRC"
tt_query
echo "# password: $(wc -l < "$TT_Q") records: $(q_values kind '.')"
# 12 presses + 2 Shift presses, and as many releases
expect_eq "password: the raw reader saw every key event" 28 \
	"$(tasktrace-bytescan --list-keys /tmp/pw.raw | grep -c .)"
expect_eq "password: two typing bursts" 2 "$(q_count '"kind":"typing"')"
expect_eq "password: no key records" 0 "$(q_count '"kind":"key"')"
pw=$(grep '"kind":"typing"' "$TT_Q" | head -n 1)
long=$(grep '"kind":"typing"' "$TT_Q" | tail -n 1)
echo "# password burst: $pw"
expect_eq "password burst: its size only" \
	'time time_ns dur_ns seq kind uid user session device under' \
	"$(echo "$pw" | tr ',' '\n' | sed -n 's/^{\{0,1\}"\([a-z_]*\)":.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "password burst: under 20 keys" 1 "$(echo "$pw" | grep -c '"under":20}')"
expect_eq "long burst: counts rounded to 5 (25 letters, 5 digits, Enter)" 1 \
	"$(echo "$long" | grep -c '"counts":{"letter":25,"digit":5,"punct":0,"space":0,"enter":0,"tab":0,"erase":0,"modifier":0},"rounded_to":5,')"

# The burst's times: outside the first and last key, on the grid (or at an
# earlier record: the start never goes back past one)
p_start=$(echo "$pw" | sed -n 's/.*"time_ns":\([0-9]*\).*/\1/p')
p_end=$(( p_start + $(echo "$pw" | sed -n 's/.*"dur_ns":\([0-9]*\).*/\1/p') ))
k_first=$(tasktrace-bytescan --list-keys /tmp/pw.raw | awk '$3 == 1 && $2 != 42 { print $1; exit }')
k_last=$(tasktrace-bytescan --list-keys /tmp/pw.raw | awk '$3 == 1 && $2 != 42 { t = $1 } END { print t }')
expect_eq "password burst starts before its first key" 1 $(( p_start <= k_first * 1000 ))
expect_eq "password burst ends after its last key" 1 $(( p_end >= k_last * 1000 ))
expect_eq "password burst ends on the 5 s grid" 0 $(( p_end % 5000000000 ))
prev=$(grep -B1 '"kind":"typing"' "$TT_Q" | head -n 1 | sed -n 's/.*"time_ns":\([0-9]*\).*/\1/p')
expect_eq "password burst starts on the grid or at the record before it" 1 \
	$(( p_start % 5000000000 == 0 || p_start == prev ))

for fmt in csv xes ocel jsonl; do
	tasktrace --store "$TT_STORE" export --format "$fmt" --no-pseudonymize -q -o "/tmp/pw.$fmt"
	expect_eq "password export $fmt exit" 0 $?
done
expect_eq "password csv export: two Type actions" 2 "$(grep -c ',Type,' /tmp/pw.csv)"
expect_eq "password jsonl export: the short burst's bound only" 1 "$(grep -c '"keys_under":20}' /tmp/pw.jsonl)"
tasktrace --store "$TT_STORE" query > /tmp/pw.table
expect_eq "password query table: '<20 keys'" 1 "$(grep -c '<20 keys' /tmp/pw.table)"

# The scan. Every record's own start and end are allowed (none of them is
# a key's time: see "record edges"); the password's key times, offsets and
# intervals are searched, from its Shift and from its T.
allow=$(sed -n 's/.*"time_ns":\([0-9]*\),"dur_ns":\([0-9]*\),.*/--allow-record \1:\2/p' "$TT_Q")
tail -c +25 /tmp/pw.raw > /tmp/pw-text.raw
tasktrace-bytescan --counts 7,4,0,0,1 --counts 7,3,1,0,1 \
	--length 11 --length 12 --evdev /tmp/pw.raw --evdev /tmp/pw-text.raw $allow \
	"$TT_STORE"/*.mdb /tmp/pw.csv /tmp/pw.xes /tmp/pw.ocel /tmp/pw.jsonl /tmp/pw.table \
	"$TT_LOG" > /tmp/pw.scan
scan_rc=$?
sed 's/^/# /' /tmp/pw.scan | head -n 25
expect_eq "password scan: no length, class count or key time in store, exports, log" 0 "$scan_rc"
expect_eq "password scan: no key time is a record's start or end" 0 \
	"$(sed -n 's/.*(\([0-9]*\) are record edges).*/\1/p' /tmp/pw.scan | head -n 1)"

# Positive control: the same scans find the long burst's rounded counts
# and length in the same store and export, and its own key times.
tasktrace-bytescan --counts 25,5 "$TT_STORE"/data.mdb > /tmp/pw.scan2
expect_eq "password control: the scan finds a burst's counts in data.mdb" 1 $?
sed 's/^/# control: /' /tmp/pw.scan2 | head -n 3
tasktrace-bytescan --counts 25,5 --length 30 /tmp/pw.jsonl /tmp/pw.table > /tmp/pw.scan2
expect_eq "password control: the scan finds a burst's counts and length in text" 1 $?
expect_ge "password control: counts and length, both" 2 "$(sed -n 's/^\([0-9]*\) hits$/\1/p' /tmp/pw.scan2)"
tasktrace-bytescan --evdev /tmp/pwlong.raw "$TT_STORE"/data.mdb > /tmp/pw.scan2
expect_eq "password control: the scan finds a long burst's own times in data.mdb" 1 $?
sed 's/^/# control: /' /tmp/pw.scan2 | head -n 3
printf '\007\004\000\000\001\000\000\000' > /tmp/pw-counts.bin
tasktrace-bytescan --counts 7,4,0,0,1 /tmp/pw-counts.bin > /dev/null
expect_eq "password control: the issue's stored form, as varints" 1 $?
