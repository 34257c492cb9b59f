# No input for the idle threshold: idle at the last input's time; the
# next input makes the user active again.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
set idle 10s
session 2 1000 active
type a
+20s
motion 3 4
+1s

0 session start
0 typing dur=0 letter=1 end=pause
0 idle
20100 active
20100 motion dist=5 events=1 dur=0
