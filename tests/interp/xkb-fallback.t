# No keymap: the physical table names the keys (right Alt is AltGr).
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
layout physical
session 2 1000 active
leftctrl down
tap y
leftctrl up
rightalt down
tap q
rightalt up
+2s

0 session start
0 key Ctrl+Y mods=ctrl
0 typing dur=0 letter=1 end=pause
