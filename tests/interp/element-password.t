# Issue 18: a password field (role "password text", or a text field with
# text-input-type=password, flag 1). Every key typed while it has the
# focus is a secret: a 25-character passphrase is stored as "hidden" —
# no count, no size class (not even "fewer than 20"), times on the 5 s
# grid — and Enter there makes no key record. The element stays
# "password text", without its name.
session 2 1000 active
focus firefox title=Login
element "password text" name=Password
+1234.567ms
type 60ms correct horse battery stap
tap enter
+2s
element "push button" name="Log in"
+100ms
btn left down
+80ms
btn left up
+1s
# the web's <input type=password> as a text field with flag 1
element text name=PIN flags=3
+300ms
type 70ms 4711
tap tab
+3s

0 session start
0 focus firefox title=Login
0 typing dur=5000 end=hidden app=firefox el="password text" hidden
4894.567 button left dur=80 clicks=1 app=firefox el="push button\tLog in"
5000 typing dur=5000 end=hidden app=firefox el="password text" hidden
