# A secret typed unlocked (one burst: counts only, each rounded to a
# multiple of 5: 18 letters, 1 digit, 2 spaces are stored as 20 letters),
# locked and with no session (nothing). test-interp.c checks the key times
# on top.
session 2 1000 active
# an odd start, so no key time is a round number found by chance
+1234.567ms
type 137ms hunter2 correct horse
+2s
session 2 1000 locked
+13ms
type 137ms hunter2 correct horse
+2s
session 0 0 none
+13ms
type 137ms hunter2 correct horse
+2s

0 session start
1234.567 typing dur=2740 letter=20 end=pause
6111.567 lock
11001.567 session end
