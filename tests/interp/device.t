# Devices added and removed; removal closes what the device had open.
show ctx
session 2 1000 active
device add 3
dev 3
motion 3 4
+10ms
btn left down
+10ms
device remove 3
+1s

0 session start [s=2 u=1000 d=0]
0 device added [s=2 u=1000 d=3]
0 motion dist=5 events=1 dur=0 [s=2 u=1000 d=3]
10 button left dur=10 clicks=1 [s=2 u=1000 d=3]
20 device removed [s=2 u=1000 d=3]
