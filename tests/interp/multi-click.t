# Double and triple clicks within the double-click time, same button;
# a slow click or another button starts again at one.
session 2 1000 active
btn left down
+50ms
btn left up
+100ms
btn left down
+50ms
btn left up
+100ms
btn left down
+50ms
btn left up
+100ms
btn left down
+60ms
btn left up
+1s
btn left down
+50ms
btn left up
+100ms
btn right down
+50ms
btn right up
+100ms
btn left down
+50ms
btn left up

0 session start
0 button left dur=50 clicks=1
150 button left dur=50 clicks=2
300 button left dur=50 clicks=3
450 button left dur=60 clicks=3
1510 button left dur=50 clicks=1
1660 button right dur=50 clicks=1
1810 button left dur=50 clicks=1
