# Autorepeat (value 2) is never a press: no extra count, no extra key.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
a down
+500ms
a repeat
+30ms
a repeat
+30ms
a up
+2s
right down
+500ms
right repeat
right repeat
right up
+2s

0 session start
0 typing dur=0 letter=1 end=pause
2560 key Right
