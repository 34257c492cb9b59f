# Focus while locked or with no session: the context follows (the next
# records carry it) but no focus record is made; focus after unlock is.
# exact bursts: this script is about the burst rules (privacy-*.t
# has the coarse form)
set min-burst 0
set round 1
session 2 1000 active
focus firefox
session 2 1000 locked
focus swaylock title=locked
+1s
session 2 1000 active
focus firefox title=back
type ab
+2s
session 0 0 none
focus gdm-greeter

0 session start
0 focus firefox
0 lock app=firefox
1000 unlock app=swaylock
1000 focus firefox title=back
1000 typing dur=100 letter=2 end=pause app=firefox
3200 session end app=firefox
