# Text keys fold into one burst; a pause of 1.5 s closes it.
session 2 1000 active
type hi there
+2s

0 session start
0 typing dur=700 letter=7 space=1 end=pause
