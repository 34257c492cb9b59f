# While locked, only the markers: lock, idle, active. No typing.
set idle 10s
session 2 1000 locked
type secret
+20s
type more
+2s

0 session start
0 lock
500 idle
20600 active
