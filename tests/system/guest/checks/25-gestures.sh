# Touchpad gestures: none of the real recordings makes one (the Cypress pad
# is semi-MT and only taps), so a SYNTHETIC clickpad (MT protocol B, 5
# slots, 100 x 66 mm) does: a 3-finger swipe down (20 mm in 300 ms), then
# a 2-finger pinch out (the fingers 30 mm further apart in 300 ms).
# `libinput debug-events` and tasktraced read the same replay.
gen_gestures() {
	awk 'BEGIN {
		print "# EVEMU 1.3"
		print "# SYNTHETIC: tests/system/guest/checks/25-gestures.sh, swipe and pinch"
		print "N: tasktrace synthetic touchpad"
		print "I: 0018 1209 0004 0001"
		print "P: 05 00 00 00 00 00 00 00"
		print "B: 00 0b 00 00 00 00 00 00 00"
		for (l = 0; l < 12; l++)	# BTN_LEFT; BTN_TOOL_FINGER, _QUINTTAP, BTN_TOUCH, _DOUBLETAP.._QUADTAP
			print (l == 4 ? "B: 01 00 00 01 00 00 00 00 00" : l == 5 ? "B: 01 20 e5 00 00 00 00 00 00" : "B: 01 00 00 00 00 00 00 00 00")
		print "B: 03 03 00 00 00 00 80 60 02"	# ABS_X/Y, MT_SLOT, MT_POSITION_X/Y, MT_TRACKING_ID
		print "A: 00 0 3000 0 0 30"
		print "A: 01 0 2000 0 0 30"
		print "A: 2f 0 4 0 0 0"
		print "A: 35 0 3000 0 0 30"
		print "A: 36 0 2000 0 0 30"
		print "A: 39 0 65535 0 0 0"
		t = 1
		# swipe: 3 fingers down together
		ev(t, 3, 47, 0); ev(t, 3, 57, 1); ev(t, 3, 53, 1000); ev(t, 3, 54, 500)
		ev(t, 3, 47, 1); ev(t, 3, 57, 2); ev(t, 3, 53, 1500); ev(t, 3, 54, 500)
		ev(t, 3, 47, 2); ev(t, 3, 57, 3); ev(t, 3, 53, 2000); ev(t, 3, 54, 500)
		ev(t, 1, 330, 1); ev(t, 1, 334, 1); ev(t, 3, 0, 1000); ev(t, 3, 1, 500); syn(t)
		for (i = 1; i <= 30; i++) {
			t += 10000
			for (s = 0; s < 3; s++) { ev(t, 3, 47, s); ev(t, 3, 54, 500 + 20 * i) }
			ev(t, 3, 1, 500 + 20 * i); syn(t)
		}
		t += 10000
		for (s = 0; s < 3; s++) { ev(t, 3, 47, s); ev(t, 3, 57, -1) }
		ev(t, 1, 330, 0); ev(t, 1, 334, 0); syn(t)
		# pinch: 2 fingers apart
		t += 500000
		ev(t, 3, 47, 0); ev(t, 3, 57, 4); ev(t, 3, 53, 1300); ev(t, 3, 54, 1000)
		ev(t, 3, 47, 1); ev(t, 3, 57, 5); ev(t, 3, 53, 1700); ev(t, 3, 54, 1000)
		ev(t, 1, 330, 1); ev(t, 1, 333, 1); ev(t, 3, 0, 1300); ev(t, 3, 1, 1000); syn(t)
		for (i = 1; i <= 30; i++) {
			t += 10000
			ev(t, 3, 47, 0); ev(t, 3, 53, 1300 - 15 * i)
			ev(t, 3, 47, 1); ev(t, 3, 53, 1700 + 15 * i)
			ev(t, 3, 0, 1300 - 15 * i); syn(t)
		}
		t += 10000
		for (s = 0; s < 2; s++) { ev(t, 3, 47, s); ev(t, 3, 57, -1) }
		ev(t, 1, 330, 0); ev(t, 1, 333, 0); syn(t)
	}
	function ev(t, type, code, value) {
		printf "E: %d.%06d %04x %04x %d\n", int(t / 1000000), t % 1000000, type, code, value
	}
	function syn(t) { ev(t, 0, 0, 0) }'
}

gen_gestures > /tmp/gestures.evemu
logind_session active
tracer_conf
rm -rf "$TT_DIR/gestures"
tracer_start "$TT_DIR/gestures"
replay_libinput /tmp/gestures.evemu
tracer_stop TERM
tt_query
tt_verify
expect_eq "gestures replay exit" 0 "$REPLAY_RC"
expect_eq "gestures libinput: a touchpad with gestures" "pg" "$(echo "$LI_ADDED" | sed -n 's/.*cap:\([A-Za-z]*\).*/\1/p')"
expect_eq "gestures libinput: one 3-finger swipe" 1 "$(li_count 'GESTURE_SWIPE_BEGIN.*[[:space:]]3$')"
expect_eq "gestures libinput: one 2-finger pinch" 1 "$(li_count 'GESTURE_PINCH_BEGIN.*[[:space:]]2$')"
expect_eq "gestures tasktraced exit" 0 "$TT_RC"
expect_eq "gestures tasktrace verify" 0 "$TT_VRC"
expect_eq "gestures tasktraced: one 3-finger swipe" 1 "$(q_count '"kind":"gesture".*"type":"swipe","fingers":3')"
expect_eq "gestures tasktraced: one 2-finger pinch" 1 "$(q_count '"kind":"gesture".*"type":"pinch","fingers":2')"
expect_eq "gestures tasktraced: not cancelled" 0 "$(q_count '"kind":"gesture".*"cancelled":true')"
expect_eq "gestures tasktraced: no clicks" 0 "$(q_count '"kind":"button"')"
grep '"kind":"gesture"' "$TT_Q" | sed 's/^/# /'
