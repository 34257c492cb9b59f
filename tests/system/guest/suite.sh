# The guest test suite: sources lib.sh, then every checks/*.sh in name
# order. A check file defines nothing the others need; it replays what it
# wants and calls expect_* for each thing it verifies. Tracer checks
# (tasktraced + tasktrace query) go in their own checks/NN-tracer-*.sh.
. /tt/guest/lib.sh
. /tt/guest/tracer-lib.sh

t0=$(now_ms)
# TT_CHECKS (from the host): only the check files whose names match it
only=$(cat /tt/checks 2>/dev/null)
for f in /tt/guest/checks/*.sh; do
	[ -r "$f" ] || continue
	case "$(basename "$f")" in ${only:-*}) ;; *) continue ;; esac
	echo "# --- $(basename "$f") (suite at $(($(now_ms) - t0)) ms)"
	. "$f"
done
echo "# suite took $(($(now_ms) - t0)) ms"
echo "$TT_PASS passed, $TT_FAIL failed"
[ "$TT_FAIL" -eq 0 ] && [ "$TT_PASS" -gt 0 ]
