# Every class is counted: letters, digits, punctuation, space, enter,
# tab, erase (BackSpace and Delete).
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
type Ab1 2.;
tap enter
tap tab
tap backspace
tap delete
+2s

0 session start
0 typing dur=700 letter=2 digit=2 punct=2 space=1 enter=1 tab=1 erase=2 end=pause
