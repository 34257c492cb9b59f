# Issue 18: every record carries the element in front of the person. A
# click on "Save", typing into the "Search" field (its label), a shortcut
# there; another window has no element until its collector reports one.
session 2 1000 active
focus gedit title=notes
element "push button" name=Save
+100ms
btn left down
+80ms
btn left up
+500ms
element text name=Search flags=2
+100ms
type 60ms invoices of march twenty
+2s
tap f3
+1s
scroll v 120 wheel
+1s
focus firefox title=Inbox
+100ms
btn left down
+80ms
btn left up
+1s
element "page tab" name=Customers
+100ms
motion 30 40
+1s

0 session start
0 focus gedit title=notes
100 button left dur=80 clicks=1 app=gedit el="push button\tSave"
780 typing dur=1380 letter=20 space=5 end=pause app=gedit el="text\tSearch"
4220 key F3 app=gedit el="text\tSearch"
5220 scroll v +120 events=1 wheel dur=0 app=gedit el="text\tSearch"
6220 focus firefox title=Inbox
6320 button left dur=80 clicks=1 app=firefox
7500 motion dist=50 events=1 dur=0 app=firefox el="page tab\tCustomers"
