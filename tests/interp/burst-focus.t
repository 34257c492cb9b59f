# A focus change closes the burst; the next burst belongs to the new app.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
focus firefox
type abc
focus code
type de
+2s

0 session start
0 focus firefox
0 typing dur=200 letter=3 end=focus app=firefox
300 focus code
300 typing dur=100 letter=2 end=pause app=code
