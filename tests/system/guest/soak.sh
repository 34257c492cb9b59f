# make soak (tests/system/README.md, "The soak"): SOAK_MINUTES (/tt/soak-minutes)
# of human-like input into one tasktraced, attributed through logind's
# files to alice's session, with
# - each minute: the soak keyboard (typing, shortcuts) and mouse (strokes,
#   clicks, wheel) replayed at once, then the touchpad's swipe and pinch;
#   every replay plugs its device in and unplugs it at its end;
# - focus changes from a collector stand-in (tasktrace-focus-send as
#   alice), three a minute;
# - the session locked for one minute in four: the typing then is not
#   recorded (only its device is);
# - the collector restarted every 6th minute, the tracer every 7th;
# - `tasktrace ship` every 5 minutes (and once at the end) into the
#   PostgreSQL on the host (10.0.2.100, forwarded by qemu to its loopback);
# - tasktraced's RSS and CPU sampled every 10 s.
# At the end: `tasktrace verify`, the records per kind against what was
# sent, and the store's count and checksum for the host to compare with
# the server's (SOAK-STORE lines).
. /tt/guest/lib.sh
. /tt/guest/tracer-lib.sh

minutes=$(cat /tt/soak-minutes)
S=/tmp/soak
mkdir -p "$S"
R=/tt/recordings

# the network: qemu user networking, the server forwarded to 10.0.2.100
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2 ||
	{ echo "FAIL soak: no network (eth0)"; ip link; exit 1; }
echo "10.0.2.100 localhost" >> /etc/hosts

tracer_conf
logind_session active
tasktrace secret --create --secret "$S/secret" > /dev/null
cat > "$S/ship.conf" <<EOF
[store]
path = $TT_DIR/soak
[export]
secret = $S/secret
[ship]
server = host=localhost hostaddr=10.0.2.100 port=5432 dbname=tasktrace user=tasktrace_ship connect_timeout=20
ca = /tt/tls/ca.crt
cert = /tt/tls/client.crt
key = /tt/tls/client.key
state_dir = $S/ship-state
EOF
mkdir -p "$S/ship-state"
chmod 600 /tt/tls/client.key

rm -rf "$TT_DIR/soak"
tracer_start "$TT_DIR/soak"
echo "$TT_PID" > "$S/tracer.pid"

# the collector stand-in, as alice, on the tracer's collector socket
collector_start() {
	tasktrace-focus-send "$TT_DIR/c.sock" 1000 0 firefox org.gnome.Terminal \
		libreoffice-writer thunderbird >> "$S/focus.log" 2>&1 &
	FOCUS_PID=$!
}
collector_start

# RSS (kB) and CPU (ticks, utime + stime) of tasktraced every 10 s; the
# tick count restarts with the process after a restart
(
	t0=$(now_ms)
	while :; do
		pid=$(cat "$S/tracer.pid" 2>/dev/null)
		if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
			echo "$((($(now_ms) - t0) / 1000)) $pid $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status") $(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
		fi
		sleep 10
	done
) > "$S/samples" &
SAMPLER=$!

replay_bg() {	# FILE LOG
	timeout 120 tasktrace-replay --wait-reader 20000 --settle 1000 --hold 300 "$1" > "$2" 2>&1
}

sent_focus=0 locked_minutes=0 open_minutes=0 ships=0 ship_fail=0
tracer_restarts=0 collector_restarts=0 replay_fail=0
m=0
t_start=$(now_ms)
while [ "$m" -lt "$minutes" ]; do
	t_min=$(now_ms)
	locked=0
	if [ $((m % 4)) = 2 ]; then
		locked=1
		logind_session locked
		locked_minutes=$((locked_minutes + 1))
	else
		open_minutes=$((open_minutes + 1))
	fi
	replay_bg $R/soak-keyboard.evemu "$S/kbd.log" &
	k=$!
	replay_bg $R/soak-mouse.evemu "$S/mouse.log" &
	p=$!
	if [ "$locked" = 0 ]; then
		for i in 1 2 3; do
			sleep 10
			kill -USR1 "$FOCUS_PID" 2>/dev/null
		done
	fi
	wait "$k" || replay_fail=$((replay_fail + 1))
	wait "$p" || replay_fail=$((replay_fail + 1))
	replay_bg $R/soak-touchpad.evemu "$S/pad.log" || replay_fail=$((replay_fail + 1))
	sleep 1
	[ "$locked" = 1 ] && logind_session active
	m=$((m + 1))
	if [ $((m % 5)) = 0 ]; then
		if tasktrace --config "$S/ship.conf" ship --now >> "$S/ship.log" 2>&1; then
			ships=$((ships + 1))
		else
			ship_fail=$((ship_fail + 1))
			tail -n 3 "$S/ship.log" | sed 's/^/# ship: /'
		fi
	fi
	if [ $((m % 6)) = 0 ] && [ "$m" -lt "$minutes" ]; then
		kill -TERM "$FOCUS_PID"; wait "$FOCUS_PID" 2>/dev/null
		collector_start
		collector_restarts=$((collector_restarts + 1))
	fi
	if [ $((m % 7)) = 0 ] && [ "$m" -lt "$minutes" ]; then
		tracer_stop TERM
		[ "$TT_RC" = 0 ] || echo "# soak: tasktraced exit $TT_RC at its restart"
		tracer_start "$TT_DIR/soak"
		echo "$TT_PID" > "$S/tracer.pid"
		tracer_restarts=$((tracer_restarts + 1))
	fi
	echo "# soak: minute $m of $minutes done ($((($(now_ms) - t_start) / 1000)) s)"
	# the next minute starts a minute after this one did
	rest=$((60000 - ($(now_ms) - t_min)))
	[ "$rest" -gt 0 ] && sleep "$(awk -v r="$rest" 'BEGIN { printf "%.1f", r / 1000 }')"
done
kill -TERM "$FOCUS_PID"; wait "$FOCUS_PID" 2>/dev/null
tracer_stop TERM
expect_eq "soak tasktraced exit" 0 "$TT_RC"
kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null
tasktrace --config "$S/ship.conf" ship --now >> "$S/ship.log" 2>&1
expect_eq "soak last ship" 0 $?
ships=$((ships + 1))
sent_focus=$(grep -c '^sent ' "$S/focus.log")

tt_verify
expect_eq "soak tasktrace verify" 0 "$TT_VRC"
tt_query

# tasktraced's RSS and CPU, every 10 s (CPU per interval, % of one core)
echo "# soak: tasktraced samples (s since start, pid, VmRSS kB, CPU % of a core over the last 10 s)"
awk '{ if ($2 == pid) printf "%s %s %s %.1f\n", $1, $2, $3, ($4 - cpu) * 10 / ($1 - t) ; pid = $2; cpu = $4; t = $1 }' \
	"$S/samples" > "$S/table"
sed 's/^/# soak-sample: /' "$S/table"
awk 'NR > 1 { n++; r += $3; if ($3 > rmax) rmax = $3; if (rmin == "" || $3 < rmin) rmin = $3; c += $4; if ($4 > cmax) cmax = $4 }
	END { if (n) printf "# soak: %d samples: VmRSS %d..%d kB (mean %d), CPU mean %.1f %%, max %.1f %%\n", n, rmin, rmax, r / n, c / n, cmax }' "$S/table"

# what was sent, per kind, against what was recorded
while read -r name value; do eval "exp_$name=$value"; done < $R/expect
echo "# soak: $minutes minutes ($open_minutes open, $locked_minutes locked), $sent_focus focus changes sent, $ships ships ($ship_fail failed), $tracer_restarts tracer and $collector_restarts collector restarts, $replay_fail failed replays"
expect_eq "soak replays" 0 "$replay_fail"
expect_eq "soak ships every 5 minutes" 0 "$ship_fail"
gaps=$(q_count '"kind":"gap"')
echo "# soak: records by kind: $(sed -n 's/.*"kind":"\([a-z]*\)".*/\1/p' "$TT_Q" | sort | uniq -c | awk '{ printf "%s %s, ", $2, $1 }')"
echo "# soak: gaps: $(grep '"kind":"gap"' "$TT_Q" | sed -n 's/.*"reason":"\([a-z-]*\)".*/\1/p' | sort | uniq -c | tr '\n' ' ')"
expect_eq "soak key records: every shortcut of the open minutes (Ctrl+S/C/V/Z)" \
	$((exp_keyboard_shortcuts * open_minutes)) "$(q_count '"kind":"key".*"name":"Ctrl\+[SCVZ]"')"
expect_eq "soak no other key records" "$(q_count '"kind":"key"')" "$(q_count '"kind":"key".*"name":"Ctrl\+[SCVZ]"')"
expect_eq "soak left clicks" $((exp_mouse_left * open_minutes)) "$(q_count '"kind":"button".*"button":272')"
expect_eq "soak right clicks" $((exp_mouse_right * open_minutes)) "$(q_count '"kind":"button".*"button":273')"
expect_eq "soak wheel steps" $((exp_mouse_wheel * open_minutes)) "$(q_sum events '"kind":"scroll"')"
expect_eq "soak gestures" $((exp_touchpad_gestures * open_minutes)) "$(q_count '"kind":"gesture"')"
expect_eq "soak locks" "$locked_minutes" "$(q_count '"kind":"lock"')"
expect_eq "soak unlocks" "$locked_minutes" "$(q_count '"kind":"unlock"')"
# typing: each burst's counts are rounded to 5, so the letters recorded are
# within 2.5 a burst of those sent; a short burst (under min_burst_keys)
# holds only its size, so its letters (< 20) are not in the counts
typed=$(q_sum letter '"kind":"typing"')
bursts=$(q_count '"kind":"typing"')
short=$(q_count '"kind":"typing".*"under"')
expect_eq "soak letters typed in the open minutes: $((exp_keyboard_letters * open_minutes)) sent, $typed in $bursts bursts ($short short)" 1 \
	"$(awk -v t="$typed" -v b="$bursts" -v s="$short" -v e=$((exp_keyboard_letters * open_minutes)) \
		'BEGIN { print (t <= e + 2.5 * b && t >= e - 2.5 * b - 20 * s) ? 1 : 0 }')"
# a focus record per change sent, with its application; the collector's
# restarts add one without (the focus is unknown while it is away), and
# a session change (an unlock) re-reports the current collector's focus
# when the tracer had none (tracer/focus.c, focus_session_changed): at
# most one a locked minute more
with_app=$(q_count '"kind":"focus".*"app":"(firefox|org.gnome.Terminal|libreoffice-writer|thunderbird)"')
expect_eq "soak focus records with an application: every change sent ($sent_focus), at most one re-report an unlock ($with_app)" 1 \
	"$(awk -v w="$with_app" -v s="$sent_focus" -v u="$locked_minutes" 'BEGIN { print (w >= s && w <= s + u) ? 1 : 0 }')"
echo "# soak: focus records without an application (collector away): $(grep '"kind":"focus"' "$TT_Q" | grep -vc '"app":"')"
dev_add=$(q_count '"kind":"device".*"event":"added"')
dev_rm=$(q_count '"kind":"device".*"event":"removed"')
echo "# soak: device records: $dev_add added, $dev_rm removed"
expect_eq "soak every device added was removed" "$dev_add" "$dev_rm"

# the store's count and checksum over (time_ns, seq, kind, dur_ns) as the
# fleet tests compute them (tests/fleet/run-fleet-tests), for the host to
# compare with the server's rows of this store
kinds='typing key button scroll motion touch gesture tablet focus idle active lock unlock session device gap'
sed -n 's/.*"time_ns":\([0-9]*\),"dur_ns":\([0-9]*\),"seq":\([0-9]*\),"kind":"\([a-z]*\)".*/\1 \3 \4 \2/p' "$TT_Q" |
	awk -v kinds="$kinds" 'BEGIN { n = split(kinds, k, " "); for (i = 1; i <= n; i++) idx[k[i]] = i }
		{ printf "%s|%20s|%s:%s:%d:%s\n", $1, $2, $1, $2, idx[$3], $4 }' |
	sort | cut -d'|' -f3 > "$S/keys"
count=$(wc -l < "$S/keys")
sum=$(awk 'BEGIN { ORS = "" } NR > 1 { print "," } { print }' "$S/keys" | md5sum | cut -d' ' -f1)
echo "SOAK-STORE $(ls "$S/ship-state" | sed -n 's/\.state$//p' | head -n 1) $count $sum"
sed -n 's/.*"kind":"\([a-z]*\)".*/\1/p' "$TT_Q" | sort | uniq -c | awk '{ print "SOAK-KIND " $2 " " $1 }'
echo "$TT_PASS passed, $TT_FAIL failed"
[ "$TT_FAIL" -eq 0 ]
