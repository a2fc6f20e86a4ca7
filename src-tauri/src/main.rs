//! The `stackpath-desktop` program: all of it is in the library, so that the
//! tests can build the same app.

// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    stackpath_desktop::run();
}
