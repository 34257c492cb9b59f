# tasktraced on the real kernel + udev + libinput: each recording is
# replayed while tasktraced (udev backend, seat0, static attribution: there
# is no logind in the guest) records it into a store of its own; then
# `tasktrace query` must show the records the interpreter makes of it.
#
# The counts follow from what libinput reports for each recording (see
# 10-libinput.sh) and the interpreter's rules (tests/interp/*.t): one
# button record per click, motion folded per pointer gesture (the event
# counts add up to libinput's motion events), text keys only as typing
# bursts, shortcuts by name. The guest has no xkb data, so key names come
# from the physical table: that fallback is tested here too.

R=/tt/recordings

tq() {	# tq STORE KIND: the records of one kind, as a table
	tasktrace --store "$1" query --kind "$2" 2>/dev/null
}

tq_count() {	# tq_count STORE KIND [REGEX]
	tq "$1" "$2" | grep -Ec "${3:-.}"
}

tq_sum_events() {	# the events counted in the records of a kind
	tq "$1" "$2" | sed -n 's/.* \([0-9][0-9]*\) events.*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

# trace NAME RECORDING: replay it under tasktraced; sets TS (the store)
trace() {
	local name=$1 rec=$2 log=/tmp/tracer-$1.log i=0 rc
	TS=/tmp/store-$name
	rm -rf "$TS"
	printf '[collector]\nsocket = /tmp/tracer-%s.sock\n' "$name" > "/tmp/tracer-$name.conf"
	tasktraced --store "$TS" --config "/tmp/tracer-$name.conf" --static-user 0 > "$log" 2>&1 &
	TPID=$!
	while ! grep -q "tracing seat" "$log" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	timeout 60 tasktrace-replay --wait-reader "${TT_WAIT_READER_MS:-20000}" --settle "$TT_SETTLE_MS" \
		--max-gap "$TT_MAX_GAP_MS" --hold "$TT_HOLD_MS" "$rec" > "/tmp/tracer-$name.replay" 2>&1
	REPLAY_RC=$?
	sleep 1
	kill -TERM "$TPID"
	wait "$TPID"
	rc=$?
	expect_eq "tracer $name replay exit" 0 "$REPLAY_RC"
	expect_eq "tracer $name tasktraced exit" 0 "$rc"
	expect_match "tracer $name store sound" ": sound:" "$(tasktrace --store "$TS" verify 2>&1)"
	expect_eq "tracer $name device added" 1 "$(tq_count "$TS" device ' added ')"
	expect_eq "tracer $name device removed" 1 "$(tq_count "$TS" device ' removed ')"
	if [ "$TT_FAIL" -gt 0 ] && [ "${TT_TRACER_DUMPED:-}" != 1 ]; then
		TT_TRACER_DUMPED=1
		sed 's/^/#   /' "$log" | grep -v "libinput: event" | head -n 20
		tasktrace --store "$TS" query 2>&1 | head -n 40 | sed 's/^/#   /'
	fi
}

f=$R/keyboard.logitech-k400-plus.evemu
if [ -r "$f" ]; then
	trace k400 "$f"
	expect_eq "tracer k400 one shortcut" 1 "$(tq_count "$TS" key)"
	expect_eq "tracer k400 named Ctrl+C" 1 "$(tq_count "$TS" key 'Ctrl\+C$')"
	expect_eq "tracer k400 no typing (C was a shortcut)" 0 "$(tq_count "$TS" typing)"
fi

f=$R/keyboard-pointer.ms-surface-type-cover.evemu
if [ -r "$f" ]; then
	trace surface "$f"
	expect_eq "tracer surface Enter x2 is one (short) burst" 1 "$(tq_count "$TS" typing '<20 keys')"
	expect_eq "tracer surface no key record for text keys" 0 "$(tq_count "$TS" key)"
	expect_near "tracer surface motion events" 20 1 "$(tq_sum_events "$TS" motion)"
fi

f=$R/mouse.logitech-ultrathin-touch-mouse.evemu
if [ -r "$f" ]; then
	trace mouse "$f"
	expect_eq "tracer mouse left clicks" 4 "$(tq_count "$TS" button ' left$')"
	expect_eq "tracer mouse right clicks" 2 "$(tq_count "$TS" button ' right$')"
	expect_near "tracer mouse motion events (folded)" 349 3 "$(tq_sum_events "$TS" motion)"
	n=$(tq_count "$TS" motion)
	expect_ge "tracer mouse motion folded (>= 10 events per record)" 10 \
		"$(($(tq_sum_events "$TS" motion) / (n > 0 ? n : 1)))"
	expect_eq "tracer mouse wheel events" 32 "$(tq_sum_events "$TS" scroll)"
fi

f=$R/touchpad.cypress-ps2.two-finger-tap.evemu
if [ -r "$f" ]; then
	trace touchpad "$f"
	expect_eq "tracer touchpad two-finger tap is a right click" 1 "$(tq_count "$TS" button ' right$')"
	expect_eq "tracer touchpad no left click" 0 "$(tq_count "$TS" button ' left$')"
fi

f=$R/touchscreen.atmel-maxtouch.2-fingers-touch-release.evemu
if [ -r "$f" ]; then
	trace touchscreen "$f"
	expect_eq "tracer touchscreen one touch sequence" 1 "$(tq_count "$TS" touch)"
	expect_eq "tracer touchscreen two fingers" 1 "$(tq_count "$TS" touch '2 finger')"
fi

f=$R/tablet-pen.wacom-cintiq-13hd.evemu
if [ -r "$f" ]; then
	trace pen "$f"
	expect_eq "tracer pen proximity" 1 "$(tq_count "$TS" tablet 'proximity')"
	expect_eq "tracer pen strokes" 2 "$(tq_count "$TS" tablet 'tip')"
fi

f=$R/tablet-pad.wacom-cintiq-13hd.evemu
if [ -r "$f" ]; then
	trace pad "$f"
	expect_eq "tracer pad buttons" 9 "$(tq_count "$TS" tablet 'button')"
fi
