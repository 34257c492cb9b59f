# With layout us, the key at KEY_Y is Y; right Alt is Alt, a shortcut.
layout us
session 2 1000 active
leftctrl down
tap y
tap z
leftctrl up
rightalt down
tap q
rightalt up
tap pagedown

0 session start
0 key Ctrl+Y mods=ctrl
0 key Ctrl+Z mods=ctrl
0 key Alt+Q mods=alt
0 key PageDown
