# Short bursts of 1, 12 (a password and Enter, ended by a click) and 19
# keys look the same: "under 20 keys", a whole 5 s cell of the grid. The
# 20-key burst is a long one: its own times, counts rounded to 5
# (19 letters + 1 digit: letter=20 digit=0); the 22-key one: 17 letters
# → 15, 5 digits → 5.
session 2 1000 active
+10100ms
type 60ms a
+6s
type 60ms Tr0ub4dor&3
tap enter
+80ms
btn left down
btn left up
+10s
type 60ms abcdefghijklmnopqrs
+10s
type 60ms abcdefghijklmnopqrs1
+10s
type 60ms abcdefghijklmnopq12345
+2s

0 session start
10000 typing dur=5000 under=20 end=hidden
15000 typing dur=5000 under=20 end=hidden
16900 button left dur=0 clicks=1
25000 typing dur=5000 under=20 end=hidden
38040 typing dur=1140 letter=20 end=pause
49240 typing dur=1260 letter=15 digit=5 end=pause
