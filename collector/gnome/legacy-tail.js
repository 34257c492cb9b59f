
function init() {
    return new TasktraceFocus();
}
