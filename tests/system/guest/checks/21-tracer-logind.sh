# tasktraced on the real path: each recording replayed while tasktraced
# (libudev + libinput on seat0, the session from logind's files, a real
# LMDB store) records it; then `tasktrace query --format jsonl` and
# `tasktrace verify` in the guest.
#
# The expected records, per recording, derived from the file and from what
# libinput makes of it (10-libinput.sh):
# - K400: Enter release (no key down), Ctrl down, 3 Ctrl autorepeats, C down,
#   Ctrl+C held to the end: one `key` record "Ctrl+C" (code 46, mods 2 =
#   Ctrl), no typing burst (Ctrl is part of the shortcut; autorepeat is no
#   press), the keys released by libinput at removal add nothing.
# - Surface Type Cover: Enter pressed and released twice: one typing burst
#   {enter: 2}, nothing else counted; its 20 motion frames in motion records.
# - Ultrathin mouse: 4 left + 2 right clicks, single clicks each (the 31
#   button autorepeats are none); 32 wheel steps summing to REL_WHEEL -9,
#   recorded as +1080 v120 (libinput's sign: positive scrolls down), all
#   vertical, source wheel; ~349 motion events.
# - Cypress touchpad, two-finger tap (tapping on by default): one right
#   click, no left; the fingers' small movement is finger scrolling.
# - Atmel touchscreen: one touch sequence of 2 fingers.
# - Cintiq pen: proximity in/out once (one record), tip down twice.
# - Cintiq pad: 9 buttons, each pressed once: 9 tablet "button" records for
#   BTN_0..BTN_8 (256..264).
# - Huion K20: libinput 1.22 rejects the device (min == max on ABS_X), so
#   the tracer records nothing of it, not even a device record.
# Every store passes `tasktrace verify`; every input record belongs to
# alice (uid 1000), session 1; device added/removed come in pairs.
R=/tt/recordings
logind_session active
tracer_conf

# tracer_recording RECORDING [replayer options]: a fresh store, the replay,
# SIGTERM, query, verify
tracer_recording() {
	local rec=$1 base
	shift
	base=$(basename "$rec")
	rm -rf "$TT_DIR/$base"
	tracer_start "$TT_DIR/$base"
	tracer_replay "$rec" "$@"
	tracer_stop TERM
	tt_query
	tt_verify
	echo "# $base: replay exit $REPLAY_RC, tasktraced exit $TT_RC, $(wc -l < "$TT_Q") records, verify exit $TT_VRC"
}

# common PREFIX: exits, verify, attribution, paired device records
common() {
	expect_eq "$1 replay exit" 0 "$REPLAY_RC"
	expect_eq "$1 tasktraced exit" 0 "$TT_RC"
	expect_eq "$1 query exit" 0 "$TT_QRC"
	expect_eq "$1 tasktrace verify" 0 "$TT_VRC"
	expect_eq "$1 device added" 1 "$(q_count '"kind":"device".*"event":"added"')"
	expect_eq "$1 device removed" 1 "$(q_count '"kind":"device".*"event":"removed"')"
	expect_eq "$1 all records are alice's" 0 "$(grep -vc '"uid":1000,"user":"alice","session":1' "$TT_Q")"
}

f=$R/keyboard.logitech-k400-plus.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common k400
	expect_eq "k400 one shortcut" 1 "$(q_count '"kind":"key"')"
	expect_eq "k400 shortcut is Ctrl+C" 1 "$(q_count '"kind":"key".*"name":"Ctrl\+C","code":46,"mods":2')"
	expect_eq "k400 no typing (autorepeat is no press, Ctrl is in the shortcut)" 0 "$(q_count '"kind":"typing"')"
	expect_eq "k400 nothing else" 4 "$(wc -l < "$TT_Q")"
fi

f=$R/keyboard-pointer.ms-surface-type-cover.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common surface
	expect_eq "surface one typing burst" 1 "$(q_count '"kind":"typing"')"
	expect_eq "surface burst: 2 x Enter, nothing else" 1 \
		"$(q_count '"counts":\{"letter":0,"digit":0,"punct":0,"space":0,"enter":2,"tab":0,"erase":0,"modifier":0\}')"
	expect_eq "surface no key records" 0 "$(q_count '"kind":"key"')"
	expect_near "surface motion events" 20 1 "$(q_sum events '"kind":"motion"')"
fi

f=$R/mouse.logitech-ultrathin-touch-mouse.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common mouse
	expect_eq "mouse left clicks" 4 "$(q_count '"kind":"button".*"button":272,"clicks":1,')"
	expect_eq "mouse right clicks" 2 "$(q_count '"kind":"button".*"button":273,"clicks":1,')"
	expect_eq "mouse clicks (autorepeat is no click)" 6 "$(q_count '"kind":"button"')"
	expect_eq "mouse wheel steps" 32 "$(q_sum events '"kind":"scroll"')"
	expect_eq "mouse wheel v120 total (REL_WHEEL -9)" 1080 "$(q_sum v120 '"kind":"scroll"')"
	expect_eq "mouse scroll: vertical wheel only" 0 "$(grep '"kind":"scroll"' "$TT_Q" | grep -vc '"axis":"vertical".*"source":"wheel"')"
	expect_near "mouse motion events" 349 3 "$(q_sum events '"kind":"motion"')"
	expect_eq "mouse no typing or keys" 0 "$(q_count '"kind":"(typing|key)"')"
fi

f=$R/touchpad.cypress-ps2.two-finger-tap.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common touchpad
	expect_eq "touchpad two-finger tap: one right click" 1 "$(q_count '"kind":"button".*"button":273,"clicks":1,')"
	expect_eq "touchpad no left click" 0 "$(q_count '"button":272')"
	expect_eq "touchpad scrolling is by finger" 0 "$(grep '"kind":"scroll"' "$TT_Q" | grep -vc '"source":"finger"')"
fi

f=$R/touchscreen.atmel-maxtouch.2-fingers-touch-release.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common touchscreen
	expect_eq "touchscreen one 2-finger touch" 1 "$(q_count '"kind":"touch".*"fingers":2')"
	expect_eq "touchscreen nothing else" 4 "$(wc -l < "$TT_Q")"
fi

f=$R/tablet-pen.wacom-cintiq-13hd.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common pen
	expect_eq "pen proximity" 1 "$(q_count '"kind":"tablet".*"event":"proximity","tool":320')"
	expect_eq "pen tip down twice" 2 "$(q_count '"kind":"tablet".*"event":"tip","tool":320')"
fi

f=$R/tablet-pad.wacom-cintiq-13hd.evemu
if [ -r "$f" ]; then
	tracer_recording "$f"
	common pad
	expect_eq "pad 9 button records" 9 "$(q_count '"kind":"tablet".*"event":"button"')"
	expect_eq "pad buttons BTN_0..BTN_8" "256 257 258 259 260 261 262 263 264" \
		"$(q_values tool '"event":"button"' | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')"
fi

f=$R/tablet-pad.huion-keydial-k20.libinput-record.yml
if [ -r "$f" ]; then
	# libinput rejects it, so no reader holds the node: do not wait for one
	tracer_recording "$f" --wait-reader 0
	expect_eq "huion replay exit" 0 "$REPLAY_RC"
	expect_eq "huion tasktrace verify" 0 "$TT_VRC"
	expect_match "huion rejected by libinput" 'Huion Keydial_K20: was rejected' "$(cat "$TT_LOG")"
	expect_eq "huion no records but the session's" 1 "$(wc -l < "$TT_Q")"
fi
