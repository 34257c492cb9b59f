# A new title in the same window does not split the burst.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
focus code title=a
type ab
focus code title=b title-only
type cd
+2s

0 session start
0 focus code title=a
0 typing dur=300 letter=4 end=pause app=code
200 focus code title=b title-only
