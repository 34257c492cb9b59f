#!/usr/bin/python3
# GTK3 test application for tests/desktop/run-atspi-tests: a labelled entry,
# a password entry (visibility=False), buttons, a check box, a menu and a
# notebook with two tabs. The window title is "Ledger - tasktrace test".
# It prints "ready" on stdout once shown, then reads commands on stdin:
#   focus NAME    grab the focus for widget NAME (entry, password, save, …)
#   geom NAME     print "geom NAME X Y W H" in root coordinates
#   menu          pop up the File menu and select its items in turn
#   tab N         switch the notebook to tab N
#   cycle N MS    move the focus N times, every MS milliseconds, over the
#                 buttons and the check box; print "cycle-done N" (bench)
# SPDX-License-Identifier: MIT
import sys
import gi
gi.require_version("Gtk", "3.0")
from gi.repository import Gtk, GLib

win = Gtk.Window(title="Ledger - tasktrace test")
win.set_default_size(600, 400)
box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
win.add(box)

bar = Gtk.MenuBar()
filem = Gtk.MenuItem.new_with_label("File")
menu = Gtk.Menu()
export = Gtk.MenuItem.new_with_label("Export…")
quit_ = Gtk.MenuItem.new_with_label("Quit")
menu.append(export)
menu.append(quit_)
filem.set_submenu(menu)
bar.append(filem)
box.pack_start(bar, False, False, 0)

grid = Gtk.Grid(column_spacing=6, row_spacing=6)
amount_l = Gtk.Label(label="Amount")
amount = Gtk.Entry()
amount_l.set_mnemonic_widget(amount)  # LABELLED_BY, name stays ""
pw_l = Gtk.Label(label="Password")
pw = Gtk.Entry(visibility=False)
pw_l.set_mnemonic_widget(pw)
grid.attach(amount_l, 0, 0, 1, 1)
grid.attach(amount, 1, 0, 1, 1)
grid.attach(pw_l, 0, 1, 1, 1)
grid.attach(pw, 1, 1, 1, 1)
box.pack_start(grid, False, False, 0)

save = Gtk.Button(label="Save")
cancel = Gtk.Button(label="Cancel")
receipt = Gtk.CheckButton(label="Send receipt")
row = Gtk.Box(spacing=6)
for w in (save, cancel, receipt):
    row.pack_start(w, False, False, 0)
box.pack_start(row, False, False, 0)

nb = Gtk.Notebook()
nb.append_page(Gtk.Label(label="invoice list"), Gtk.Label(label="Invoices"))
nb.append_page(Gtk.Label(label="customer list"), Gtk.Label(label="Customers"))
box.pack_start(nb, True, True, 0)

widgets = {"entry": amount, "password": pw, "save": save, "cancel": cancel, "amountlabel": amount_l,
           "receipt": receipt}


def command(src, cond):
    line = sys.stdin.readline()
    if not line:
        Gtk.main_quit()
        return False
    words = line.split()
    if not words:
        return True
    if words[0] == "focus":
        widgets[words[1]].grab_focus()
    elif words[0] == "geom":
        w = widgets[words[1]]
        ok, x, y = w.get_window().get_origin()
        a = w.get_allocation()
        # allocation is relative to the GdkWindow of the widget's parent
        print(f"geom {words[1]} {x + a.x} {y + a.y} {a.width} {a.height}", flush=True)
    elif words[0] == "menu":
        filem.select()
        menu.popup_at_widget(filem, 1, 1, None)   # GDK_GRAVITY_NORTH_WEST
        GLib.timeout_add(150, lambda: menu.select_item(export) or False)
    elif words[0] == "unmenu":
        menu.popdown()
        bar.deselect()
    elif words[0] == "tab":
        nb.set_current_page(int(words[1]))
        nb.grab_focus()
    elif words[0] == "cycle":
        order = [save, cancel, receipt]
        left = [int(words[1])]

        def tick():
            order[left[0] % 3].grab_focus()
            left[0] -= 1
            if left[0] > 0:
                return True
            print(f"cycle-done {words[1]}", flush=True)
            return False
        GLib.timeout_add(int(words[2]), tick)
    elif words[0] == "quit":
        Gtk.main_quit()
        return False
    return True


win.connect("destroy", Gtk.main_quit)
win.show_all()
GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, command)
GLib.idle_add(lambda: print("ready", flush=True) or False)
Gtk.main()
