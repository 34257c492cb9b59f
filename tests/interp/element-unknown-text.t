# Issue 18: GTK 4's GtkEntry with hidden text reports role=text
# name="GtkEntry": a field of unknown kind, maybe a password. With
# [elements] unknown_text = hidden it is typed into as a password field;
# a class name is never kept as a name. A text field with no name and no
# label is unknown too; a labelled one is not.
config elements unknown_text = hidden
session 2 1000 active
focus python3 title=Vault
element text name=GtkEntry flags=2
+1s
type 60ms s3cr3t-passphrase-of-25ch
+3s
element text
+1s
type 60ms another secret phrase xx
+3s
element text name="Account number"
+1s
type 60ms 12345 67890 12345 67890
+3s

0 session start
0 focus python3 title=Vault
0 typing dur=5000 end=hidden app=python3 el="text" hidden
5000 typing dur=5000 end=hidden app=python3 el="text" hidden
11940 typing dur=1320 digit=20 space=5 end=pause app=python3 el="text\tAccount number"
