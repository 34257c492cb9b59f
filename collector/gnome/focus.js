// tasktrace GNOME Shell extension — the focused window, on the session bus.
//
// Shared by both builds (shell 40–44 and 45+): the build puts an import
// header before this file and the entry points after it (legacy-*.js,
// esm-*.js), so the logic below exists once. It uses only Gio, GLib, Shell
// and `global`, which both headers provide.
//
// Exported on the shell's own session-bus connection, so every signal
// comes from the unique name that owns org.gnome.Shell: a client can tell
// it from a look-alike sent by anybody else.
//
// Only the collector hears it. The collector owns the well-known name
// org.tasktrace.Collector (the bus lets one connection own it at a time);
// the extension follows that name's owner, sends FocusChanged to it alone
// (a unicast signal: no other client's match rule sees it), sends it the
// current state whenever a new owner appears (collector start or restart,
// shell restart, enable), and answers GetFocus only to it: anybody else
// gets org.freedesktop.DBus.Error.AccessDenied, as GNOME answers its own
// Introspect interface only to the portals.
//
//   object    /org/tasktrace/Focus
//   interface org.tasktrace.Focus1
//     GetFocus() -> a{sv}        the current focus (to the collector only)
//     signal FocusChanged(a{sv}) to the collector, on every change of the
//                                focused window, its title, app or class,
//                                and when a collector appears; {} when the
//                                extension stops (disable, screen lock)
//
// Keys (absent when unknown; {} = no window has the focus):
//   window-id t   Meta.Window id, stable for the window's life
//   title s, app-id s (the .desktop id from Shell.WindowTracker),
//   sandboxed-app-id s (Flatpak/Snap), wm-class s, pid u,
//   client-type s ("wayland" or "x11")
//
// Copyright © 2026 the tasktrace authors
// SPDX-License-Identifier: MIT

const TT_OBJECT_PATH = '/org/tasktrace/Focus';
const TT_INTERFACE = 'org.tasktrace.Focus1';
const TT_COLLECTOR_NAME = 'org.tasktrace.Collector';
const TT_INTERFACE_XML = `
<node>
  <interface name="org.tasktrace.Focus1">
    <method name="GetFocus">
      <arg name="focus" type="a{sv}" direction="out"/>
    </method>
    <signal name="FocusChanged">
      <arg name="focus" type="a{sv}"/>
    </signal>
  </interface>
</node>`;
// Properties of the focused window that change what we report.
const TT_WINDOW_NOTIFY = ['title', 'wm-class', 'gtk-application-id'];

class TasktraceFocus {
    enable() {
        this._tracker = Shell.WindowTracker.get_default();
        this._window = null;
        this._windowIds = [];
        this._last = null;
        this._collector = null;
        this._bus = Gio.DBus.session;
        this._dbus = Gio.DBusExportedObject.wrapJSObject(TT_INTERFACE_XML, this);
        this._dbus.export(this._bus, TT_OBJECT_PATH);
        // Signals of the bus driver about the name: ordered with the
        // collector's own calls, so its GetFocus after taking the name
        // finds it known (the GetNameOwner fallback covers the rest).
        this._nameId = Gio.bus_watch_name_on_connection(this._bus, TT_COLLECTOR_NAME,
            Gio.BusNameWatcherFlags.NONE,
            (c, name, owner) => this._collectorIs(owner),
            () => this._collectorIs(null));
        this._focusId = global.display.connect('notify::focus-window',
            () => this._follow());
        // A window's app can be found after its focus (startup notification).
        this._appId = this._tracker.connect('notify::focus-app',
            () => this._changed());
        this._follow();
    }

    disable() {
        global.display.disconnect(this._focusId);
        this._tracker.disconnect(this._appId);
        this._watch(null);
        this._send({});
        Gio.bus_unwatch_name(this._nameId);
        this._dbus.unexport();
        this._dbus = null;
        this._bus = null;
        this._collector = null;
        this._tracker = null;
        this._last = null;
    }

    // GetFocus, answered to the collector only. The sender is checked
    // against the owner we follow, and when it differs, against the bus's
    // own answer (our watcher may not have seen a new owner yet).
    GetFocusAsync(params, invocation) {
        const sender = invocation.get_sender();
        const answer = () => invocation.return_value(
            new GLib.Variant('(a{sv})', [this._state()]));

        if (sender && sender === this._collector) {
            answer();
            return;
        }
        const bus = this._bus;
        bus.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
            'GetNameOwner', new GLib.Variant('(s)', [TT_COLLECTOR_NAME]),
            new GLib.VariantType('(s)'), Gio.DBusCallFlags.NONE, -1, null, (c, res) => {
                let owner = null;
                try {
                    [owner] = c.call_finish(res).deepUnpack();
                } catch (e) {
                    owner = null;
                }
                if (sender && owner === sender && this._bus === bus) {
                    this._collector = owner;
                    answer();
                } else {
                    invocation.return_dbus_error('org.freedesktop.DBus.Error.AccessDenied',
                        `only the owner of ${TT_COLLECTOR_NAME} may ask for the focus`);
                }
            });
    }

    // A new owner of org.tasktrace.Collector (or none): it gets the
    // current state at once.
    _collectorIs(owner) {
        if (!this._bus || owner === this._collector)
            return;
        this._collector = owner;
        if (owner)
            this._send(this._state());
    }

    // FocusChanged to the collector alone; nothing while there is none.
    _send(state) {
        if (!this._collector)
            return;
        this._bus.emit_signal(this._collector, TT_OBJECT_PATH, TT_INTERFACE,
            'FocusChanged', new GLib.Variant('(a{sv})', [state]));
    }

    _watch(window) {
        for (const id of this._windowIds)
            this._window.disconnect(id);
        this._windowIds = [];
        this._window = window;
        if (!window)
            return;
        for (const prop of TT_WINDOW_NOTIFY)
            this._windowIds.push(window.connect(`notify::${prop}`,
                () => this._changed()));
        // A destroyed window must not be disconnected later.
        this._windowIds.push(window.connect('unmanaged', () => {
            this._windowIds = [];
            this._window = null;
        }));
    }

    _follow() {
        const window = global.display.focus_window;

        if (window !== this._window)
            this._watch(window);
        this._changed();
    }

    _state() {
        const w = this._window;
        const s = {};

        if (!w)
            return s;
        const str = v => new GLib.Variant('s', v);
        s['window-id'] = new GLib.Variant('t', w.get_id());
        const title = w.get_title();
        if (title)
            s['title'] = str(title);
        const app = this._tracker.get_window_app(w);
        if (app && !app.is_window_backed() && app.get_id())
            s['app-id'] = str(app.get_id());
        const sandboxed = w.get_sandboxed_app_id();
        if (sandboxed)
            s['sandboxed-app-id'] = str(sandboxed);
        const wmClass = w.get_wm_class();
        if (wmClass)
            s['wm-class'] = str(wmClass);
        const pid = w.get_pid();
        if (pid > 0)
            s['pid'] = new GLib.Variant('u', pid);
        s['client-type'] = str(
            w.get_client_type() === Meta.WindowClientType.X11 ? 'x11' : 'wayland');
        return s;
    }

    _changed() {
        const state = this._state();
        const key = JSON.stringify(Object.entries(state).map(
            ([k, v]) => [k, v.print(false)]));

        if (key === this._last)
            return;
        this._last = key;
        this._send(state);
    }
}
