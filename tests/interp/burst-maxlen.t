# A burst reaching its maximum length is split.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
set maxlen 1s
session 2 1000 active
type abcdefghijklmno
+2s

0 session start
0 typing dur=900 letter=10 end=maxlen
1000 typing dur=400 letter=5 end=pause
