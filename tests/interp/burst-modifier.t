# A modifier pressed and released alone is counted in the open burst,
# and dropped when no burst is open. Held with a key, it is not counted.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type ab
tap leftshift
+100ms
tap leftctrl
type c
leftshift down
type d
leftshift up
+2s
tap leftmeta
+2s

0 session start
0 typing dur=400 letter=4 modifier=2 end=pause
