# Issue 18: [privacy] capture_titles = no: element names and URLs follow
# the title rules, so none is kept; roles are.
config privacy capture_titles = no
session 2 1000 active
focus firefox title=Docs
element "push button" name=Save
+100ms
btn left down
+80ms
btn left up
+1s
element "document web" url=https://mail.example.org/inbox
+100ms
scroll v 120 wheel
+1s

0 session start
0 focus firefox title=Docs
100 button left dur=80 clicks=1 app=firefox el="push button"
1280 scroll v +120 events=1 wheel dur=0 app=firefox el="document web"
