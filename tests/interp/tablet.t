# Tablet: proximity span, a stroke (tip down to up, with its travel) and
# a tool button. Records come out in time order.
session 2 1000 active
tablet prox in pen
+100ms
tablet tip down 10 10
+10ms
tablet motion 13 14
+10ms
tablet motion 16 18
+10ms
tablet tip up
+50ms
tablet button stylus down
+100ms
tablet button stylus up
+100ms
tablet prox out

0 session start
0 tablet proximity tool=BTN_TOOL_PEN dur=380
100 tablet tip tool=BTN_TOOL_PEN dist=10 dur=30
180 tablet button tool=BTN_STYLUS dur=100
