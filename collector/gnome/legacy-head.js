// GNOME Shell 40–44 build of the tasktrace extension (generated: the
// shared logic is collector/gnome/focus.js).
/* exported init */
'use strict';

const {Gio, GLib, Meta, Shell} = imports.gi;

