# A non-text key closes the burst and is recorded by name, with Shift.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type ab
tap f5
+100ms
tap esc
tap pagedown
leftshift down
tap right
leftshift up
tap mute
+2s

0 session start
0 typing dur=100 letter=2 end=nontext
200 key F5
300 key Escape
300 key PageDown
300 key Shift+Right mods=shift
300 key AudioMute
