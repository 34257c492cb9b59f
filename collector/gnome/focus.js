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
//   object    /org/tasktrace/Focus
//   interface org.tasktrace.Focus1
//     GetFocus() -> a{sv}        the current focus
//     signal FocusChanged(a{sv}) on every change of the focused window,
//                                its title, app or class; {} when the
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
        this._dbus = Gio.DBusExportedObject.wrapJSObject(TT_INTERFACE_XML, this);
        this._dbus.export(Gio.DBus.session, TT_OBJECT_PATH);
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
        this._dbus.emit_signal('FocusChanged',
            new GLib.Variant('(a{sv})', [{}]));
        this._dbus.unexport();
        this._dbus = null;
        this._tracker = null;
        this._last = null;
    }

    GetFocus() {
        return this._state();
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
        this._dbus.emit_signal('FocusChanged',
            new GLib.Variant('(a{sv})', [state]));
    }
}
