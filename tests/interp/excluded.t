# A deny-listed application: nothing but its focus record.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
focus firefox
type ab
focus keepassxc excluded
type hunter2
btn left down
btn left up
motion 5 5
scroll v 120 wheel
leftctrl down
tap v
leftctrl up
+2s
focus firefox
type c
+2s

0 session start
0 focus firefox
0 typing dur=100 letter=2 end=focus app=firefox
200 focus keepassxc excluded
2900 focus firefox
2900 typing dur=0 letter=1 end=pause app=firefox
