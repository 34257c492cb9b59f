# A touch sequence lasts from the first finger down to the last up; a
# touch closes a burst like a click. A cancelled sequence ends at once.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type ab
touch down 0 10 10
+10ms
touch motion 0 13 14
+10ms
touch down 1 50 50
+10ms
touch motion 1 60 60
touch motion 0 16 18
+10ms
touch up 0
+10ms
touch up 1
+1s
touch down 0 0 0
+10ms
touch cancel
+1s

0 session start
0 typing dur=100 letter=2 end=click
200 touch fingers=2 dist=10 events=7 dur=50
1250 touch fingers=1 dist=0 events=1 dur=10
