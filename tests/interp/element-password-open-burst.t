# Issue 18: a user name, Tab, and the password field's report arrives
# after the first keys of the password went into the burst of the user
# name (the collector reports ~2 ms after the Tab; keys can be faster).
# The open burst becomes hidden as well: no count of it survives.
session 2 1000 active
focus firefox title=Login
element text name=User
+1s
type 60ms alice.liddell@example.org
tap tab
type 60ms hu
element "password text"
type 60ms nter2
tap enter
+3s

0 session start
0 focus firefox title=Login
0 typing dur=5000 end=hidden app=firefox el="text\tUser" hidden
0 typing dur=5000 end=hidden app=firefox el="password text" hidden
