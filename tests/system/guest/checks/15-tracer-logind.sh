# tasktraced on the real path: tasktraced (libudev + libinput on seat0,
# the session from logind's files, a real LMDB store), started by
# 06-tracer-logind-start.sh, has read every recording 10-libinput.sh
# replayed. Stop it, then check with `tasktrace query --format jsonl` and
# `tasktrace verify` in the guest the records of each recording's device.
#
# The expected records, per recording, derived from the file and from what
# libinput makes of it (10-libinput.sh):
# - K400: Enter release (no key down), Ctrl down, 3 Ctrl autorepeats, C down,
#   Ctrl+C held to the end: one `key` record "Ctrl+C" (code 46, mods 2 =
#   Ctrl), no typing burst (Ctrl is part of the shortcut; autorepeat is no
#   press), the keys released by libinput at removal add nothing.
# - Surface Type Cover: Enter pressed and released twice: one typing burst,
#   short (2 keys < min_burst_keys), so stored as "under 20 keys" with no
#   counts; its 20 motion frames in motion records.
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
# The store passes `tasktrace verify`; every record of a recording's
# device belongs to alice (uid 1000), session 1; device added/removed come
# in pairs.
R=/tt/recordings
TT_PID=$TT_REC_PID
unset TT_READERS
TT_STORE=$TT_DIR/recordings
TT_LOG=$TT_STORE.log
tracer_stop TERM
expect_eq "tracer (logind) exit" 0 "$TT_RC"
tt_verify
expect_eq "tracer (logind) tasktrace verify" 0 "$TT_VRC"
tt_query
expect_eq "tracer (logind) query exit" 0 "$TT_QRC"
ALL_Q=$TT_Q
# the device records as a table (it names the devices) and as jsonl, in
# the same order: device name -> device id
tasktrace --store "$TT_STORE" query --kind device > /tmp/tt-devices.txt
grep '"kind":"device"' "$ALL_Q" > /tmp/tt-devices.jsonl

# for_device NAME: TT_Q := the records of the device called NAME
for_device() {
	local n id
	n=$(grep -n " added $1\$" /tmp/tt-devices.txt | head -n 1 | cut -d: -f1)
	id=$(sed -n "${n:-0}p" /tmp/tt-devices.jsonl 2>/dev/null | sed -n 's/.*"device":\([0-9]*\).*/\1/p')
	TT_Q=/tmp/tt-device-${id:-none}.jsonl
	grep -E "\"device\":${id:-none}[,}]" "$ALL_Q" > "$TT_Q"
	echo "# $1: device ${id:-none}, $(wc -l < "$TT_Q") records"
}

# common PREFIX: attribution, paired device records
common() {
	expect_eq "$1 device added" 1 "$(q_count '"kind":"device".*"event":"added"')"
	expect_eq "$1 device removed" 1 "$(q_count '"kind":"device".*"event":"removed"')"
	expect_eq "$1 all records are alice's" 0 "$(grep -vc '"uid":1000,"user":"alice","session":1' "$TT_Q")"
}

f=$R/keyboard.logitech-k400-plus.evemu
if [ -r "$f" ]; then
	for_device "Logitech K400 Plus"
	common k400
	expect_eq "k400 one shortcut" 1 "$(q_count '"kind":"key"')"
	expect_eq "k400 shortcut is Ctrl+C" 1 "$(q_count '"kind":"key".*"name":"Ctrl\+C","code":46,"mods":2')"
	expect_eq "k400 no typing (autorepeat is no press, Ctrl is in the shortcut)" 0 "$(q_count '"kind":"typing"')"
	expect_eq "k400 nothing else" 3 "$(wc -l < "$TT_Q")"
fi

f=$R/keyboard-pointer.ms-surface-type-cover.evemu
if [ -r "$f" ]; then
	for_device "Microsoft Surface Type Cover"
	common surface
	expect_eq "surface one typing burst" 1 "$(q_count '"kind":"typing"')"
	expect_eq "surface burst: short, its size only (2 x Enter)" 1 \
		"$(q_count '"kind":"typing".*,"under":20\}$')"
	expect_eq "surface no key records" 0 "$(q_count '"kind":"key"')"
	expect_near "surface motion events" 20 1 "$(q_sum events '"kind":"motion"')"
fi

f=$R/mouse.logitech-ultrathin-touch-mouse.evemu
if [ -r "$f" ]; then
	for_device "Ultrathin Touch Mouse"
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
	for_device "CyPS/2 Cypress Trackpad"
	common touchpad
	expect_eq "touchpad two-finger tap: one right click" 1 "$(q_count '"kind":"button".*"button":273,"clicks":1,')"
	expect_eq "touchpad no left click" 0 "$(q_count '"button":272')"
	expect_eq "touchpad scrolling is by finger" 0 "$(grep '"kind":"scroll"' "$TT_Q" | grep -vc '"source":"finger"')"
fi

f=$R/touchscreen.atmel-maxtouch.2-fingers-touch-release.evemu
if [ -r "$f" ]; then
	for_device "Atmel maXTouch Touchscreen"
	common touchscreen
	expect_eq "touchscreen one 2-finger touch" 1 "$(q_count '"kind":"touch".*"fingers":2')"
	expect_eq "touchscreen nothing else" 3 "$(wc -l < "$TT_Q")"
fi

f=$R/tablet-pen.wacom-cintiq-13hd.evemu
if [ -r "$f" ]; then
	for_device "Wacom Cintiq 13HD touch Pen"
	common pen
	expect_eq "pen proximity" 1 "$(q_count '"kind":"tablet".*"event":"proximity","tool":320')"
	expect_eq "pen tip down twice" 2 "$(q_count '"kind":"tablet".*"event":"tip","tool":320')"
fi

f=$R/tablet-pad.wacom-cintiq-13hd.evemu
if [ -r "$f" ]; then
	for_device "Wacom Cintiq 13HD touch Pad"
	common pad
	expect_eq "pad 9 button records" 9 "$(q_count '"kind":"tablet".*"event":"button"')"
	expect_eq "pad buttons BTN_0..BTN_8" "256 257 258 259 260 261 262 263 264" \
		"$(q_values tool '"event":"button"' | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')"
fi

f=$R/tablet-pad.huion-keydial-k20.libinput-record.yml
if [ -r "$f" ]; then
	# libinput 1.22 rejects it: the tracer records nothing of it
	expect_match "huion rejected by libinput" 'Huion Keydial_K20: was rejected' "$(cat "$TT_LOG")"
	expect_eq "huion no device record" 0 "$(grep -c 'Huion' /tmp/tt-devices.txt)"
fi

TT_Q=$ALL_Q
expect_eq "tracer (logind) device added/removed paired" \
	"$(q_count '"kind":"device".*"event":"added"')" "$(q_count '"kind":"device".*"event":"removed"')"
# the tracer checks after this one bring their own logind state
logind_session none
rm -rf /run/systemd/seats /run/systemd/sessions /run/systemd/users /run/systemd/machines
