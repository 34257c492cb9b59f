# Issue 18: [elements] links = names keeps a link's text as its name.
config elements links = names
session 2 1000 active
focus firefox title=Docs
element link name="Installation guide"
+100ms
btn left down
+80ms
btn left up
+1s

0 session start
0 focus firefox title=Docs
100 button left dur=80 clicks=1 app=firefox el="link\tInstallation guide"
