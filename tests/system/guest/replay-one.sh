# make check-system REPLAY=file: replay one recording and show what came out:
# libinput's view (`libinput debug-events`) and the records tasktraced
# wrote from the same replay (`tasktrace query`), both reading the device.
. /tt/guest/lib.sh
. /tt/guest/tracer-lib.sh

rec=$1
echo "# replaying $(basename "$rec")"
logind_session active
tracer_conf
tracer_start "$TT_DIR/replay"
# shellcheck disable=SC2046
replay_libinput "$rec" --enable-tap $(cat /tt/libinput-opts)
tracer_stop TERM
cat "/tmp/$(basename "$rec").replay"
if [ -s "$LI_OUT.err" ]; then
	echo "# libinput debug-events, stderr:"
	cat "$LI_OUT.err"
fi
echo "# libinput debug-events (libinput's own log lines start with 'eventN  -'):"
cat "$LI_OUT.all"
echo "# tasktraced log (exit $TT_RC):"
cat "$TT_LOG"
echo "# tasktrace query (the records tasktraced wrote):"
tasktrace --store "$TT_STORE" query
echo "# tasktrace query --format jsonl:"
tasktrace --store "$TT_STORE" query --format jsonl
tt_verify
echo "# tasktrace verify: exit $TT_VRC"
[ "$REPLAY_RC" -eq 0 ] && [ "$TT_RC" -eq 0 ] && [ "$TT_VRC" -eq 0 ]
