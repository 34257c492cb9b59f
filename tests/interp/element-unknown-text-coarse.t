# Issue 18: by default (unknown_text = coarse) the unknown field is typed
# into like any field: counts rounded, a short burst "fewer than 20".
# The class name is still dropped from the element.
session 2 1000 active
focus python3 title=Vault
element text name=GtkEntry flags=2
+1s
type 60ms s3cr3t-passphrase-of-25ch
+3s
element text name=QLineEdit
+1s
type 60ms short
+6s

0 session start
0 focus python3 title=Vault
1000 typing dur=1440 letter=20 digit=5 punct=5 end=pause app=python3 el="text"
5000 typing dur=5000 under=20 end=hidden app=python3 el="text"
