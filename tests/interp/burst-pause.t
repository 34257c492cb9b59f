# Text keys fold into one burst; a pause of 1.5 s closes it.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type hi there
+2s

0 session start
0 typing dur=700 letter=7 space=1 end=pause
