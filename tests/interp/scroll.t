# Scroll events on one axis fold into one record, ended by a pause, a
# change of direction, a scroll stop (value 0) or other input.
session 2 1000 active
scroll v 120 wheel
+50ms
scroll v 120 wheel
+50ms
scroll v 120 wheel
+1s
scroll v -120 wheel
+50ms
scroll v 120 wheel
+1s
scroll v 15 finger
scroll h 10 finger
+10ms
scroll v 20 finger
scroll h 5 finger
+10ms
scroll v 0 finger
scroll h 0 finger
+1s
scroll h -240 continuous
scroll h -120 tilt
+1s
scroll v 120 wheel
+50ms
motion 3 4
+1s

0 session start
0 scroll v +360 events=3 wheel dur=100
1100 scroll v -120 events=1 wheel dur=0
1150 scroll v +120 events=1 wheel dur=0
2150 scroll v +35 events=2 finger dur=10
2150 scroll h +15 events=2 finger dur=10
3170 scroll h -240 events=1 continuous dur=0
3170 scroll h -120 events=1 tilt dur=0
4170 scroll v +120 events=1 wheel dur=0
4220 motion dist=5 events=1 dur=0
