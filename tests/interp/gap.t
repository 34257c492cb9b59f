# SYN_DROPPED: a gap record; the held keys are forgotten (the Ctrl held
# before the drop no longer makes a shortcut).
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
show ctx
session 2 1000 active
leftctrl down
dropped 7
tap c
+2s

0 session start [s=2 u=1000 d=0]
0 gap syn-dropped lost=7 [s=2 u=1000 d=1]
0 typing dur=0 letter=1 end=pause [s=2 u=1000 d=1]
