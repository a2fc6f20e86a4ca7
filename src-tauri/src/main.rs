//! The `stackpath-desktop` program: all of it is in the library, so that the
//! tests can build the same app.

// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The planner's search makes many small short-lived allocations; mimalloc
// serves them faster than the system allocator, as in the CLI
// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // WebKitGTK's accelerated compositing paints this static, text-heavy
    // window no better and, where OpenGL is software (virtual displays,
    // remote sessions, some GPU drivers), twice as slowly: a re-plan took
    // 60-70 ms to paint with it and 25-30 ms without (BENCHMARKS.md,
    // "Desktop"). Off unless the user's environment says otherwise
    // (`WEBKIT_DISABLE_COMPOSITING_MODE=0` turns it back on). Set before any
    // thread starts.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    stackpath_desktop::run();
}
