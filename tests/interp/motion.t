# Pointer motion is aggregated per gesture: ended by a pause or a button,
# never one record per event.
session 2 1000 active
motion 3 4
+10ms
motion 3 4
+10ms
motion 6 8
+500ms
motion 1 0
+100ms
btn left down
+50ms
btn left up
+1s

0 session start
0 motion dist=20 events=3 dur=20
520 motion dist=1 events=1 dur=0
620 button left dur=50 clicks=1
