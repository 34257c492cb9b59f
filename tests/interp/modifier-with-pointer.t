# Ctrl held for a click or for the wheel (zoom) is not a lone modifier;
# the click carries the modifier.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type ab
scroll v 120 wheel
leftctrl down
scroll v 120 wheel
leftctrl up
+100ms
leftctrl down
btn left down
btn left up
leftctrl up
+2s

0 session start
0 typing dur=100 letter=2 end=click
200 scroll v +240 events=2 wheel dur=0
300 button left dur=0 clicks=1 mods=ctrl
