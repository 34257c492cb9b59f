# Idle is dated by the last input. After a short burst that would be the
# time of its last key, and with the burst's start, its length: the idle
# marker is dated by the burst's coarse end instead (5000, not 1894.567).
set idle 10s
session 2 1000 active
+1234.567ms
type 60ms Tr0ub4dor&3
tap enter
+20s

0 session start
0 typing dur=5000 under=20 end=hidden
5000 idle
