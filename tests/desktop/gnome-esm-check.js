// tasktrace — check the GNOME Shell 45+ build of the extension without a
// 45+ shell (Debian 12 ships 43).
//
//   dbus-run-session -- gjs -m tests/desktop/gnome-esm-check.js EXTENSION_JS
//
// The build is loaded as an ES module, as shell 45+ loads it, with the
// shell-only imports (gi://Meta, gi://Shell, the Extension base class from
// the shell's resources) replaced by small stubs and `global` faked; Gio and
// GLib are real, and so is the session bus. Then: the default export
// extends Extension; enable() exports /org/tasktrace/Focus; GetFocus over
// the bus returns the stub window to the owner of org.tasktrace.Collector
// (this connection) and AccessDenied to a second connection; a focus
// change and a title change each emit FocusChanged, to the owner only (the
// second connection hears none); disable() emits {} and unexports. Prints
// "ok" at the end, or throws.
//
// SPDX-License-Identifier: MIT

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import System from 'system';

const [path] = ARGV;
const dir = GLib.dir_make_tmp('tt-esm-XXXXXX');
const write = (name, text) => GLib.file_set_contents(`${dir}/${name}`, text);

write('meta.js', 'export default {WindowClientType: {WAYLAND: 0, X11: 1}};\n');
write('shell.js', `
const tracker = {
    _h: new Map(), _n: 0,
    connect(sig, cb) { this._h.set(++this._n, cb); return this._n; },
    disconnect(id) { this._h.delete(id); },
    get_window_app(w) { return {is_window_backed: () => false, get_id: () => w._app}; },
};
export default {WindowTracker: {get_default: () => tracker}};
`);
write('extension-base.js', `
export class Extension {
    constructor(metadata) { this.metadata = metadata; }
}
`);

const [, bytes] = GLib.file_get_contents(path);
let source = new TextDecoder().decode(bytes);
const replaced = [
    ["'gi://Meta'", "'./meta.js'"],
    ["'gi://Shell'", "'./shell.js'"],
    ["'resource:///org/gnome/shell/extensions/extension.js'", "'./extension-base.js'"],
];
for (const [from, to] of replaced) {
    if (!source.includes(from))
        throw new Error(`the 45+ build does not import ${from}`);
    source = source.replace(from, to);
}
write('extension.js', source);

// A window and a display with just what the extension uses.
class Emitter {
    constructor() { this._h = new Map(); this._n = 0; }
    connect(sig, cb) { this._h.set(++this._n, [sig, cb]); return this._n; }
    disconnect(id) {
        if (!this._h.delete(id))
            throw new Error(`disconnect of unknown handler ${id}`);
    }
    emit(sig) { for (const [s, cb] of [...this._h.values()]) if (s === sig) cb(); }
    handlers() { return this._h.size; }
}
class FakeWindow extends Emitter {
    constructor(id, title, app, pid) {
        super();
        Object.assign(this, {_id: id, _title: title, _app: app, _pid: pid});
    }
    get_id() { return this._id; }
    get_title() { return this._title; }
    get_sandboxed_app_id() { return null; }
    get_wm_class() { return 'fake'; }
    get_pid() { return this._pid; }
    get_client_type() { return 0; }
}
const display = new Emitter();
display.focus_window = new FakeWindow(7, 'first', 'first.desktop', 100);
globalThis.global = {display};

const module = await import(`file://${dir}/extension.js`);
const Ext = module.default;
const ext = new Ext({uuid: 'tasktrace@tasktrace.org'});
if (!(ext instanceof (await import(`file://${dir}/extension-base.js`)).Extension))
    throw new Error('default export does not extend Extension');

const bus = Gio.DBus.session;
const seen = [];
bus.signal_subscribe(null, 'org.tasktrace.Focus1', 'FocusChanged', '/org/tasktrace/Focus',
    null, Gio.DBusSignalFlags.NONE, (c, s, p, i, n, params) => {
        seen.push(params.deepUnpack()[0]);
    });
// This connection is the collector: it owns the collector's name.
const [owned] = bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
    'org.freedesktop.DBus', 'RequestName', new GLib.Variant('(su)', ['org.tasktrace.Collector', 4]),
    null, Gio.DBusCallFlags.NONE, 2000, null).deepUnpack();
if (owned !== 1)
    throw new Error(`cannot own org.tasktrace.Collector (${owned})`);
// A second client on the same bus, owning nothing.
const other = Gio.DBusConnection.new_for_address_sync(
    Gio.dbus_address_get_for_bus_sync(Gio.BusType.SESSION, null),
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
    Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, null, null);
const overheard = [];
other.signal_subscribe(null, 'org.tasktrace.Focus1', 'FocusChanged', '/org/tasktrace/Focus',
    null, Gio.DBusSignalFlags.NONE, () => overheard.push(1));

const loop = new GLib.MainLoop(null, false);
const spin = ms => {
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => { loop.quit(); return GLib.SOURCE_REMOVE; });
    loop.run();
};
const getFocus = (from = bus) => new Promise((resolve, reject) => {
    from.call(bus.get_unique_name(), '/org/tasktrace/Focus', 'org.tasktrace.Focus1', 'GetFocus',
        null, null, Gio.DBusCallFlags.NONE, 2000, null, (c, res) => {
            try {
                resolve(c.call_finish(res).deepUnpack()[0]);
            } catch (e) {
                reject(e);
            }
        });
});
const expect = (cond, what) => {
    if (!cond)
        throw new Error(`45+ build: ${what}`);
};

ext.enable();
spin(100);
let f = await getFocus();
expect(f['title'].unpack() === 'first' && f['app-id'].unpack() === 'first.desktop' &&
       f['pid'].unpack() === 100 && f['client-type'].unpack() === 'wayland',
       `GetFocus returns the focused window: ${JSON.stringify(f)}`);
expect(seen.length === 1, `enable emits the current focus once (${seen.length})`);
let denied = null;
try {
    await getFocus(other);
} catch (e) {
    denied = e;
}
expect(denied && Gio.DBusError.get_remote_error(denied) ===
       'org.freedesktop.DBus.Error.AccessDenied',
       `GetFocus from another client is refused with AccessDenied (${denied})`);

display.focus_window = new FakeWindow(8, 'second', 'second.desktop', 200);
display.emit('notify::focus-window');
display.focus_window._title = 'second renamed';
display.focus_window.emit('notify::title');
spin(100);
expect(seen.length === 3 && seen[2]['title'].unpack() === 'second renamed',
       `focus and title changes are signalled (${seen.length})`);

ext.disable();
spin(100);
expect(seen.length === 4 && Object.keys(seen[3]).length === 0, 'disable signals {}');
expect(overheard.length === 0, `no signal reaches another client (${overheard.length})`);
expect(display.handlers() === 0, 'disable disconnects from the display');
let failedAfter = false;
try {
    await getFocus();
} catch (e) {
    failedAfter = true;
}
expect(failedAfter, 'disable unexports the object');
print('ok');
System.exit(0);
