#!/usr/bin/python3
# GTK4 test application for tests/desktop/run-atspi-tests: a GtkPasswordEntry,
# a GtkEntry with hidden text (visibility=False: GTK 4.8 reports it as
# role "text", name "GtkEntry", not as a password field), a labelled entry
# and a button. Prints "ready", then reads "focus NAME" / "quit" on stdin.
# SPDX-License-Identifier: MIT
import sys
import gi
gi.require_version("Gtk", "4.0")
from gi.repository import Gtk, GLib

app = Gtk.Application(application_id="org.tasktrace.TestGtk4")
widgets = {}


def activate(a):
    win = Gtk.ApplicationWindow(application=a, title="Gtk4 - tasktrace test")
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
    win.set_child(box)
    label = Gtk.Label(label="Customer")
    entry = Gtk.Entry()
    entry.update_property([Gtk.AccessibleProperty.LABEL], ["Customer"])
    pw = Gtk.PasswordEntry()
    hidden = Gtk.Entry(visibility=False)
    ok = Gtk.Button(label="Sign in")
    for w in (label, entry, pw, hidden, ok):
        box.append(w)
    widgets.update(entry=entry, password=pw, hidden=hidden, signin=ok)
    win.present()
    GLib.timeout_add(300, lambda: print("ready", flush=True) or False)


def command(src, cond):
    line = sys.stdin.readline()
    if not line or line.strip() == "quit":
        app.quit()
        return False
    words = line.split()
    if words and words[0] == "focus":
        widgets[words[1]].grab_focus()
    return True


app.connect("activate", activate)
GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, command)
app.run([])
