#!/usr/bin/python3
# Qt5 test application for tests/desktop/run-atspi-tests: a labelled line
# edit, a password line edit (QLineEdit.Password), a button and a check
# box. Prints "ready", then reads "focus NAME" / "quit" on stdin.
# SPDX-License-Identifier: MIT
import sys
from PyQt5.QtCore import QSocketNotifier, QTimer
from PyQt5.QtWidgets import (QApplication, QCheckBox, QFormLayout, QLineEdit,
                             QPushButton, QWidget)

app = QApplication(sys.argv)
win = QWidget()
win.setWindowTitle("Qt5 - tasktrace test")
form = QFormLayout(win)
name = QLineEdit()
pw = QLineEdit()
pw.setEchoMode(QLineEdit.Password)
ok = QPushButton("Submit")
box = QCheckBox("Remember me")
form.addRow("Full name", name)
form.addRow("Secret", pw)
form.addRow(ok)
form.addRow(box)
widgets = {"entry": name, "password": pw, "submit": ok, "remember": box}


def command():
    line = sys.stdin.readline()
    if not line or line.strip() == "quit":
        app.quit()
        return
    words = line.split()
    if words and words[0] == "focus":
        w = widgets[words[1]]
        w.activateWindow()
        w.setFocus()


n = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Read)
n.activated.connect(command)
win.show()
QTimer.singleShot(300, lambda: print("ready", flush=True))
sys.exit(app.exec_())
