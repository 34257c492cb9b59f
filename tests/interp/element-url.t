# Issue 18: a web document keeps its URL's scheme and host only: no user
# info, path, query or fragment, unless [elements] url_paths allows the
# path (never the query). A URL with no authority keeps its scheme only.
config elements url_paths = erp.example.org/app/*
session 2 1000 active
focus chromium title=Mail
element "document web" url="https://alice:pw@mail.example.org:8443/inbox/4711?q=secret#m" flags=8
+100ms
scroll v 120 wheel
+1s
element "document web" name="Orders" url="https://erp.example.org/app/orders?customer=42#x" flags=8
+100ms
scroll v 120 wheel
+1s
element "document web" url="https://erp.example.org/private/x" flags=8
+100ms
scroll v 120 wheel
+1s
element "document web" url="data:text/html,<b>secret</b>" flags=8
+100ms
scroll v 120 wheel
+1s

0 session start
0 focus chromium title=Mail
100 scroll v +120 events=1 wheel dur=0 app=chromium el="document web\t\thttps://mail.example.org:8443"
1200 scroll v +120 events=1 wheel dur=0 app=chromium el="document web\t\thttps://erp.example.org/app/orders"
2300 scroll v +120 events=1 wheel dur=0 app=chromium el="document web\t\thttps://erp.example.org"
3400 scroll v +120 events=1 wheel dur=0 app=chromium el="document web\t\tdata:"
