# Issue 18: an element is bound to the focused window. A report for a
# window that lost the focus before it arrived is dropped: the click in
# the new window has no element, not the old window's "Send".
session 2 1000 active
focus thunderbird window=0x1200004 title=Compose
element "push button" name=Send window=0x1200004
+100ms
btn left down
+80ms
btn left up
+1s
focus firefox window=0x1400002 title=Inbox
element "push button" name=Send window=0x1200004
+100ms
btn left down
+80ms
btn left up
+1s
element "push button" name=Reply window=0x1400002
+100ms
btn left down
+80ms
btn left up
+1s
# an empty role: the focus left every accessible object
element -
+100ms
btn left down
+80ms
btn left up
+1s

0 session start
0 focus thunderbird title=Compose
100 button left dur=80 clicks=1 app=thunderbird el="push button\tSend"
1180 focus firefox title=Inbox
1280 button left dur=80 clicks=1 app=firefox
2460 button left dur=80 clicks=1 app=firefox el="push button\tReply"
3640 button left dur=80 clicks=1 app=firefox
