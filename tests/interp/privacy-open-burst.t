# A burst still open emits nothing. test-interp.c also uses this script to
# show that its state check can fail: with no flush at the end, the open
# burst still holds its last key time, and the check must find it.
session 2 1000 active
type abc
noflush

0 session start
