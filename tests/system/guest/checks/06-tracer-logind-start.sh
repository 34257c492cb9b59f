# Start tasktraced for 15-tracer-logind.sh: it reads every recording that
# 10-libinput.sh replays, as a second reader beside `libinput debug-events`
# (one replay serves both, which keeps the suite short), with alice's
# session active on seat0 in logind's files. 15-tracer-logind.sh stops it
# and checks its records.
logind_session active
tracer_conf
rm -rf "$TT_DIR/recordings"
tracer_start "$TT_DIR/recordings"
TT_REC_PID=$TT_PID
# 10-libinput.sh's replays wait for both readers (libinput debug-events and
# this tasktraced): the tracer alone being ready must not start a replay
# that libinput is not yet reading.
TT_READERS=2
