# The replayer itself, on the real uinput: timing and refusal of bad files.

# replayed_s LOG: the "replayed N events in S s" figure, in ms
replayed_ms() {
	sed -n 's/.*replayed [0-9]* events in \([0-9.]*\) s/\1/p' "$1" |
		awk '{ printf "%d", $1 * 1000 }'
}

f=/tt/recordings/touchscreen.atmel-maxtouch.2-fingers-touch-release.evemu
if [ -r "$f" ]; then
	# 824 ms between first and last event in the file
	tasktrace-replay -v "$f" > /tmp/timing.log 2>&1
	expect_eq "replay exit" 0 $?
	ms=$(replayed_ms /tmp/timing.log)
	if [ "${ms:-0}" -ge 824 ] && [ "$ms" -le 950 ]; then
		pass "replay keeps the recorded timing (824 ms)"
	else
		fail "replay keeps the recorded timing (824 ms)" "expected 824..950 ms, got ${ms:-none}"
	fi
	tasktrace-replay -v --speed 2 "$f" > /tmp/timing.log 2>&1
	ms=$(replayed_ms /tmp/timing.log)
	if [ "${ms:-0}" -ge 412 ] && [ "$ms" -le 520 ]; then
		pass "replay --speed 2 halves it"
	else
		fail "replay --speed 2 halves it" "expected 412..520 ms, got ${ms:-none}"
	fi
	tasktrace-replay -v --no-timing "$f" > /tmp/timing.log 2>&1
	ms=$(replayed_ms /tmp/timing.log)
	if [ "${ms:-9999}" -le 100 ]; then
		pass "replay --no-timing does not sleep"
	else
		fail "replay --no-timing does not sleep" "expected <= 100 ms, got ${ms:-none}"
	fi
fi

printf 'N: Broken\nI: 0003 0001 0001 0001\nB: 01 00 00 00 00 00 00 00 00\nE: 0.000001 0001 001e\n' > /tmp/broken.evemu
tasktrace-replay /tmp/broken.evemu > /tmp/broken.log 2>&1
expect_eq "malformed recording: exit 2" 2 $?
expect_match "malformed recording: file:line: reason" '^/tmp/broken.evemu:4: E: needs' "$(cat /tmp/broken.log)"
nodes=0
for n in /dev/input/event*; do
	[ -e "$n" ] && nodes=$((nodes + 1))
done
expect_eq "malformed recording: no device left behind" 0 "$nodes"
