#!/usr/bin/python3
# A hostile GTK3 application for tests/desktop/run-atspi-tests: element
# names the collector must bound and clean, and event floods it must
# survive. Prints "ready", then reads commands on stdin:
#   big        focus a button whose accessible name is 100 KB
#   controls   focus a button whose name has TABs, newlines, ESC, DEL, C1
#              and bidi controls
#   rename S   rename the focused button every millisecond for S seconds
#   flood S    move the focus between two buttons every millisecond for S
#              seconds, then focus "Final" and print "flood-done"
# (Invalid UTF-8 cannot be sent: D-Bus refuses it, in libdbus and in the
# bus daemon; the collector's repair is exercised by the unit tests.)
# SPDX-License-Identifier: MIT
import sys
import time
import gi
gi.require_version("Gtk", "3.0")
from gi.repository import Gtk, GLib

win = Gtk.Window(title="Hostile - tasktrace test")
box = Gtk.Box(spacing=4)
win.add(box)
big = Gtk.Button(label="big")
big.get_accessible().set_name("B" * 100 * 1024)
ctl = Gtk.Button(label="ctl")
ctl.get_accessible().set_name("Pay\tnow\nor\x1b[31m never\x7f\u0085\u202eevil\u2066x\u2069")
a = Gtk.Button(label="Ping")
b = Gtk.Button(label="Pong")
final = Gtk.Button(label="Final")
for w in (big, ctl, a, b, final):
    box.pack_start(w, False, False, 0)
state = {"n": 0}


def rename(until):
    state["n"] += 1
    ctl.get_accessible().set_name(f"name {state['n']}")
    return time.monotonic() < until


def flood(until):
    state["n"] += 1
    (a if state["n"] % 2 else b).grab_focus()
    if time.monotonic() < until:
        return True
    final.grab_focus()
    print(f"flood-done {state['n']}", flush=True)
    return False


def command(src, cond):
    line = sys.stdin.readline()
    if not line:
        Gtk.main_quit()
        return False
    w = line.split()
    if not w:
        return True
    if w[0] == "big":
        big.grab_focus()
    elif w[0] == "controls":
        ctl.grab_focus()
    elif w[0] == "rename":
        ctl.grab_focus()
        GLib.timeout_add(1, rename, time.monotonic() + float(w[1]))
    elif w[0] == "flood":
        state["n"] = 0
        GLib.timeout_add(1, flood, time.monotonic() + float(w[1]))
    elif w[0] == "quit":
        Gtk.main_quit()
        return False
    return True


win.connect("destroy", Gtk.main_quit)
win.show_all()
GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, command)
GLib.idle_add(lambda: print("ready", flush=True) or False)
Gtk.main()
