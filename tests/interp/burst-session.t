# A session change closes the burst; with no session nothing is recorded;
# records carry the session and user they belong to.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
show ctx
session 2 1000 active
type ab
session 0 0 none
type secret
tap f5
btn left down
btn left up
+2s
session 3 1001 active
type ok
+2s

0 session start [s=2 u=1000 d=0]
0 typing dur=100 letter=2 end=lock [s=2 u=1000 d=1]
200 session end [s=2 u=1000 d=0]
2800 session start [s=3 u=1001 d=0]
2800 typing dur=100 letter=2 end=pause [s=3 u=1001 d=1]
