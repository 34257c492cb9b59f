
export default class TasktraceExtension extends Extension {
    enable() {
        this._focus = new TasktraceFocus();
        this._focus.enable();
    }

    disable() {
        this._focus.disable();
        this._focus = null;
    }
}
