# A click closes the burst; the click itself is recorded on release.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type abc
btn left down
+80ms
btn left up
+1s

0 session start
0 typing dur=200 letter=3 end=click
300 button left dur=80 clicks=1
