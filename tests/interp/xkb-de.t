# With layout de, the key at KEY_Y is Z; AltGr+Q types @ (text).
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
layout de
session 2 1000 active
leftctrl down
tap y
tap z
leftctrl up
rightalt down
tap q
rightalt up
+2s
tap f5

0 session start
0 key Ctrl+Z mods=ctrl
0 key Ctrl+Y mods=ctrl
0 typing dur=0 punct=1 end=pause
2000 key F5
