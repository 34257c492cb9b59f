# Keys are counted by what the layout types with the modifiers held:
# Shift+7 is '&' on a US layout (punctuation, not a digit), Shift+A is a
# letter; on "de", Shift+7 is '/' and AltGr+Q is '@'. Exact counts here.
set min-burst 0
set round 1
layout us
session 2 1000 active
type 7&aA
+2s
layout de
leftshift down
tap 7
leftshift up
rightalt down
tap q
rightalt up
tap 7
+2s

0 session start
0 typing dur=300 letter=2 digit=1 punct=1 end=pause
2400 typing dur=0 digit=1 punct=2 end=pause
