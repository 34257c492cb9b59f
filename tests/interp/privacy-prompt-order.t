# A short burst's start moves back to the grid, but never past an event
# before it: the prompt's focus (3500) and the click into its field (3600
# to 3650) stay before the burst, which then starts at the click's release.
# Its end still goes out to the grid (5000), past the focus change that
# closed it: what closed it is not said.
session 2 1000 active
+3500ms
focus sudo-prompt
+100ms
btn left down
+50ms
btn left up
+350ms
type 60ms Tr0ub4dor&3
tap enter
+50ms
focus terminal
+2s

0 session start
3500 focus sudo-prompt
3600 button left dur=50 clicks=1 app=sudo-prompt
3650 typing dur=1350 under=20 end=hidden app=sudo-prompt
4710 focus terminal
