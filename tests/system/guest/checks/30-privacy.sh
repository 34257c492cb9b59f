# Privacy on the real path: a virtual keyboard (uinput) types a secret
# three times: with alice's session active, with it locked (LOCKED_HINT),
# and with no session on the seat. One tasktraced records all three into
# one store. Afterwards:
# - there is exactly one typing burst, from the first typing, with counts
#   per class only, rounded to 5 (18 letters, 1 digit, 2 spaces are stored
#   as 20 letters), and no key records;
# - the store's raw bytes (data.mdb, lock.mdb), every export format and the
#   tracer's log hold neither the text, nor the secret's key codes (4 in a
#   row, as 8/16/32-bit integers, either byte order, evdev or xkb codes),
#   nor the time of any key event but the records' own start and end (as
#   64-bit ns or us, LEB128 varints, decimal epoch ms, ISO ms), nor any
#   key's offset from the first typed in the same phase or interval from
#   the key before (ns, us; unless equal to a difference of two record
#   times, which the store holds by design: that happened once by chance). The key times come from a second reader of the
#   device (a raw dump of /dev/input/eventN): the kernel's own times.
SECRET='Hunter2 correct horse'
# evdev codes of the keys typing it (US layout); Shift (42) is held over
# the H: Shift+letter is text, never a `key` record "Shift+H"
SECRET_CODES=42,35,22,49,20,18,19,3,57,46,24,19,19,18,46,20,57,35,24,19,31,18

# gen_typing: an evemu keyboard typing $SECRET, key i pressed 140+9i ms
# after the previous one, held 55 ms (distinct intervals, so that a leaked
# interval would be found); the first key (Shift) is held until the second
# is released
gen_typing() {
	echo "$SECRET_CODES" | awk -F, '{
		print "# EVEMU 1.3"
		print "# SYNTHETIC: tests/system/guest/checks/30-privacy.sh types a test secret"
		print "N: tasktrace synthetic keyboard"
		print "I: 0003 1209 0002 0001"
		print "P: 00 00 00 00 00 00 00 00"
		print "B: 00 0b 00 00 00 00 00 00 00"
		print "B: 01 fe ff ff ff ff ff ff ff"	# KEY_ESC..KEY_KPDOT
		print "B: 01 ff ff ff ff ff ff ff ff"
		for (l = 2; l < 12; l++) print "B: 01 00 00 00 00 00 00 00 00"
		t = 1
		for (i = 1; i <= NF; i++) {
			t += (140 + 9 * i) * 1000
			printf "E: %d.%06d 0001 %04x 1\nE: %d.%06d 0000 0000 0\n", t / 1e6, t % 1e6, $i, t / 1e6, t % 1e6
			if (i == 1) continue		# Shift stays down over the next key
			u = t + 55000
			printf "E: %d.%06d 0001 %04x 0\nE: %d.%06d 0000 0000 0\n", u / 1e6, u % 1e6, $i, u / 1e6, u % 1e6
			if (i == 2) {
				u += 20000
				printf "E: %d.%06d 0001 %04x 0\nE: %d.%06d 0000 0000 0\n", u / 1e6, u % 1e6, $1, u / 1e6, u % 1e6
			}
		}
	}'
}

# type_secret PHASE: replay the typing while a raw reader dumps the node's
# events to /tmp/priv-PHASE.raw
type_secret() {
	local log=/tmp/priv-$1.replay node i=0 cpid
	timeout 60 tasktrace-replay --wait-reader 20000 --settle 1500 --hold 300 -v \
		/tmp/secret.evemu > "$log" 2>&1 &
	rpid=$!
	while ! grep -q 'device /dev/input/' "$log" && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	node=$(sed -n 's|.*device \(/dev/input/event[0-9]*\).*|\1|p' "$log")
	cat "$node" > "/tmp/priv-$1.raw" 2>/dev/null &
	cpid=$!
	wait "$rpid"
	expect_eq "privacy $1: replay exit" 0 $?
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	# 22 presses + 22 releases, 24 bytes each
	expect_eq "privacy $1: the raw reader saw every key event" 44 \
		"$(tasktrace-bytescan --evdev "/tmp/priv-$1.raw" /dev/null | sed -n 's/^# \([0-9]*\) key events.*/\1/p')"
}

# wait_log TEXT: until the tracer's log says TEXT (5 s at most)
wait_log() {
	local i=0
	while ! grep -qF "$1" "$TT_LOG" && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	expect_eq "privacy: tasktraced saw '$1'" 1 "$(grep -cF "$1" "$TT_LOG")"
}

gen_typing > /tmp/secret.evemu
tracer_conf
logind_session active
rm -rf "$TT_DIR/privacy"
tracer_start "$TT_DIR/privacy"
type_secret active
logind_session locked
wait_log 'session 1 (locked)'
type_secret locked
logind_session none
wait_log 'seat seat0: no user session'
type_secret none
tracer_stop TERM
expect_eq "privacy tasktraced exit" 0 "$TT_RC"
tt_verify
expect_eq "privacy tasktrace verify" 0 "$TT_VRC"
tt_query
echo "# privacy: $(wc -l < "$TT_Q") records: $(q_values kind '.' )"
expect_eq "privacy one typing burst (only the unlocked typing)" 1 "$(q_count '"kind":"typing"')"
expect_eq "privacy burst: counts per class only, rounded to 5" 1 \
	"$(q_count '"kind":"typing".*"counts":\{"letter":20,"digit":0,"punct":0,"space":0,"enter":0,"tab":0,"erase":0,"modifier":0\},"rounded_to":5,')"
expect_eq "privacy no key records" 0 "$(q_count '"kind":"key"')"
expect_eq "privacy lock recorded" 1 "$(q_count '"kind":"lock"')"
# the burst, and nothing more than its start and length, per record
burst=$(grep '"kind":"typing"' "$TT_Q")
expect_eq "privacy burst fields: no per-key data" \
	'time time_ns dur_ns seq kind uid user session device counts rounded_to ended_by' \
	"$(echo "$burst" | sed 's/"counts":{[^}]*}/"counts":0/' | tr ',' '\n' | sed -n 's/^{\{0,1\}"\([a-z_]*\)":.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
b_start=$(echo "$burst" | sed -n 's/.*"time_ns":\([0-9]*\).*/\1/p')
b_dur=$(echo "$burst" | sed -n 's/.*"dur_ns":\([0-9]*\).*/\1/p')
lock_t=$(grep '"kind":"lock"' "$TT_Q" | sed -n 's/.*"time_ns":\([0-9]*\).*/\1/p')
expect_eq "privacy the burst is from before the lock" 1 \
	"$(awk -v a="$b_start" -v b="$lock_t" 'BEGIN { print (a < b) ? 1 : 0 }')"

# every export format, real names (no pseudonyms that could hide a match)
for fmt in csv xes ocel jsonl; do
	tasktrace --store "$TT_STORE" export --format "$fmt" --no-pseudonymize -q -o "/tmp/priv.$fmt"
	expect_eq "privacy export $fmt exit" 0 $?
done
expect_eq "privacy csv export: one Type action" 1 "$(grep -c ',Type,' /tmp/priv.csv)"

# the scan: the store's raw bytes, the exports, the tracer's log
# every record's own start and end (and their differences) may be there
allow=$(sed -n 's/.*"time_ns":\([0-9]*\),"dur_ns":\([0-9]*\),.*/--allow-record \1:\2/p' "$TT_Q")
tasktrace-bytescan --codes "$SECRET_CODES" --text "$SECRET" --text hunter2 \
	--text correct --text horse --text Hunter2 --text HUNTER2 --evdev /tmp/priv-active.raw \
	--evdev /tmp/priv-locked.raw --evdev /tmp/priv-none.raw \
	$allow \
	"$TT_STORE"/*.mdb /tmp/priv.csv /tmp/priv.xes /tmp/priv.ocel /tmp/priv.jsonl \
	"$TT_LOG" > /tmp/priv.scan
scan_rc=$?
sed 's/^/# /' /tmp/priv.scan | head -n 25
expect_eq "privacy scan: no key code, text or per-key time in store, exports, log" 0 "$scan_rc"
# the scanner must find what is there: the raw dumps hold the codes and times
# (h u n t as bytes, then as little-endian 16-bit words)
printf '\043\026\061\024' > /tmp/codes.bin
tasktrace-bytescan --codes "$SECRET_CODES" /tmp/codes.bin > /dev/null
expect_eq "privacy scan finds key codes as bytes" 1 $?
printf '\043\000\026\000\061\000\024\000' > /tmp/codes.bin
tasktrace-bytescan --codes "$SECRET_CODES" /tmp/codes.bin > /dev/null
expect_eq "privacy scan finds key codes as u16le" 1 $?
# ... and the burst's own start and length, when they are not allowed: in
# the store (the block codec's varints) and in the jsonl export
# (the burst starts at the H, the first text key: drop the Shift press,
# the dump's first 24-byte event, so that offsets count from the H)
tail -c +25 /tmp/priv-active.raw > /tmp/priv-text.raw
tasktrace-bytescan --evdev /tmp/priv-text.raw "$TT_STORE"/data.mdb > /tmp/priv.scan2
expect_eq "privacy scan finds the burst's own times in the store" 1 $?
sed 's/^/# self-check: /' /tmp/priv.scan2 | head -n 5
tasktrace-bytescan --evdev /tmp/priv-active.raw /tmp/priv.jsonl > /tmp/priv.scan2
expect_eq "privacy scan finds the burst's own times in the jsonl export" 1 $?
sed 's/^/# self-check: /' /tmp/priv.scan2 | head -n 3
