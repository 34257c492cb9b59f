# make check-system REPLAY=file: replay one recording and show what came out.
# For now that is `libinput debug-events`; the tracer's records join later.
. /tt/guest/lib.sh

rec=$1
echo "# replaying $(basename "$rec")"
# shellcheck disable=SC2046
replay_libinput "$rec" --enable-tap $(cat /tt/libinput-opts)
cat "/tmp/$(basename "$rec").replay"
if [ -s "$LI_OUT.err" ]; then
	echo "# libinput debug-events, stderr:"
	cat "$LI_OUT.err"
fi
echo "# libinput debug-events (libinput's own log lines start with 'eventN  -'):"
cat "$LI_OUT.all"
exit "$REPLAY_RC"
