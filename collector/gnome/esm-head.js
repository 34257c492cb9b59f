// GNOME Shell 45+ build of the tasktrace extension (generated: the shared
// logic is collector/gnome/focus.js).
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';

