# Locking closes the burst; nothing typed while locked is recorded.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type abc
session 2 1000 locked
+1s
type xyz
leftctrl down
tap c
leftctrl up
tap f5
+1s
session 2 1000 active
type de
+2s

0 session start
0 typing dur=200 letter=3 end=lock
300 lock
2600 unlock
2600 typing dur=100 letter=2 end=pause
