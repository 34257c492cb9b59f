# A pointer gesture that never pauses is split at the aggregate maximum.
set aggregate-max 1s
session 2 1000 active
motion 1 0
+200ms
motion 1 0
+200ms
motion 1 0
+200ms
motion 1 0
+200ms
motion 1 0
+200ms
motion 1 0
+200ms
motion 1 0
+1s

0 session start
0 motion dist=5 events=5 dur=800
1000 motion dist=2 events=2 dur=200
