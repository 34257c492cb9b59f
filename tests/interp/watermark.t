# A record finished while an earlier one is open waits for it: output
# stays in time order (the key at 100 ms comes after the click at 0).
session 2 1000 active
leftshift down
btn left down
leftshift up
+100ms
leftctrl down
tap c
leftctrl up
+100ms
btn left up
+1s

0 session start
0 button left dur=200 clicks=1 mods=shift
100 key Ctrl+C mods=ctrl
