# Touchpad gestures: swipe, pinch (final scale × 1000), hold, cancelled.
session 2 1000 active
gesture begin swipe 3
+100ms
gesture update 1.0
+100ms
gesture end
+1s
gesture begin pinch 2
+50ms
gesture update 1.2
+50ms
gesture update 1.5
+50ms
gesture end
+1s
gesture begin hold 4
+300ms
gesture end cancelled

0 session start
0 gesture swipe fingers=3 dur=200
1200 gesture pinch fingers=2 scale=1500 dur=150
2350 gesture hold fingers=4 dur=300 cancelled
