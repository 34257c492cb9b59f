# Shift or AltGr held: still text (capitals, @, €), one burst.
session 2 1000 active
leftshift down
type ab
leftshift up
rightalt down
type q
rightalt up
type 1,
+2s

0 session start
0 typing dur=400 letter=3 digit=1 punct=1 end=pause
