# Shift or AltGr held: still text (capitals, @, €), one burst.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
leftshift down
type ab
leftshift up
rightalt down
type q
rightalt up
type 1,
+2s

0 session start
0 typing dur=400 letter=3 digit=1 punct=1 end=pause
