# Issue 14: the password Tr0ub4dor&3 and Enter at a prompt, a key every
# 60 ms. One burst of 12 keys, stored as "fewer than 20 keys" only: no
# counts, not that Enter ended it, and its times moved out to the 5 s grid
# of wall-clock time (0 … 5000), neither the first nor the last key's.
# test-interp.c checks that no key time is in any record, and that every
# burst of 1 to 19 keys, however it ends, gives this same record.
session 2 1000 active
+1234.567ms
type 60ms Tr0ub4dor&3
tap enter
+2s

0 session start
0 typing dur=5000 under=20 end=hidden
