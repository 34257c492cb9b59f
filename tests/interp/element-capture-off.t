# Issue 18: [elements] capture = off stores no element at all; a password
# field still makes a hidden burst (privacy does not depend on capture).
config elements capture = off
session 2 1000 active
focus gedit title=notes
element "push button" name=Save
+100ms
btn left down
+80ms
btn left up
+1s
element "password text"
+1s
type 60ms correct horse battery stap
+3s

0 session start
0 focus gedit title=notes
100 button left dur=80 clicks=1 app=gedit
180 typing dur=4820 end=hidden app=gedit hidden
