# Issue 18: the collector is not trusted. A report with the password flag
# is a password field whatever else it says — an empty role, a role of
# control characters, a name: typing there is hidden, the element is
# "password text" alone. (Found by fuzz-element-policy.)
session 2 1000 active
focus firefox title=Login
element - flags=1
+1s
type 60ms correct horse battery stap
+3s
element "push button" name="Pass\tword" flags=1
+1s
type 60ms correct horse battery stap
+3s

0 session start
0 focus firefox title=Login
0 typing dur=5000 end=hidden app=firefox el="password text" hidden
5000 typing dur=5000 end=hidden app=firefox el="password text" hidden
