# Ctrl, Alt or Super make a shortcut: it closes the burst and is named.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type abc
leftctrl down
c down
c up
leftctrl up
+100ms
leftctrl down
leftshift down
t down
t up
leftshift up
leftctrl up
leftalt down
tab down
tab up
leftalt up
leftmeta down
tap l
leftmeta up
+2s

0 session start
0 typing dur=200 letter=3 end=shortcut
300 key Ctrl+C mods=ctrl
400 key Ctrl+Shift+T mods=shift,ctrl
400 key Alt+Tab mods=alt
400 key Super+L mods=super
