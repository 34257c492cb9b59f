# Issue 18: names only for controls. Content roles keep the role only;
# links too unless [elements] links = names. Control characters and bidi
# controls go, invalid UTF-8 is repaired, and a name is cut to 128 bytes
# at a character boundary (here 64 two-byte "é" fit exactly, 65 do not).
# The title rules apply: a redact pattern replaces a match by "…".
config privacy redact = [0-9]{6,}
session 2 1000 active
focus libreoffice title=Budget
element "table cell" name="Alice Smith, salary 88000"
+100ms
btn left down
+80ms
btn left up
+1s
element link name="Re: your diagnosis"
+100ms
btn left down
+80ms
btn left up
+1s
element "push button" name="Sa\x1b[31mve\t\xe2\x80\xaeevil\xff"
+100ms
btn left down
+80ms
btn left up
+1s
element "menu item" name="\xc3\xa9" repeat=65
+100ms
btn left down
+80ms
btn left up
+1s
element "page tab" name="Customer 12345678"
+100ms
btn left down
+80ms
btn left up
+1s

0 session start
0 focus libreoffice title=Budget
100 button left dur=80 clicks=1 app=libreoffice el="table cell"
1280 button left dur=80 clicks=1 app=libreoffice el="link"
2460 button left dur=80 clicks=1 app=libreoffice el="push button\tSa[31mveevil\xef\xbf\xbd"
3640 button left dur=80 clicks=1 app=libreoffice el="menu item\t\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
4820 button left dur=80 clicks=1 app=libreoffice el="page tab\tCustomer \xe2\x80\xa6"
