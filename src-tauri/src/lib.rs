//! Stackpath's desktop shell: a Tauri 2 window over the shared use-case
//! layer. It holds no logic of its own: [`commands`] are one-line calls into
//! [`Workspace`], and everything they do is tested without a window in
//! `stackpath-app`.
//!
//! **Architecture invariant:** the shell is generic over the Tauri runtime
//! ([`setup`]), so the same builder serves the real window ([`run`]) and the
//! headless IPC tests (`tests/ipc.rs`, on Tauri's mock runtime).
//!
//! Security: every command is denied unless `capabilities/main.json` allows
//! it (see `build.rs`); the Content-Security-Policy in `tauri.conf.json`
//! allows only the app's own scripts and styles; the window never navigates
//! away from the bundled UI, and the UI renders pathway text as text.

pub mod commands;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use stackpath_app::dto::ErrorDto;
use stackpath_app::workspace::{AppInfoDto, Source, Workspace};
use stackpath_app::AppError;
use tauri::{Builder, Runtime};

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_catalog.rs"));
}

/// The commands declared in `build.rs`, for the test that checks they match
/// the handler and the capability file.
pub mod manifest {
    include!(concat!(env!("OUT_DIR"), "/commands.rs"));
}

/// The environment variable that points the app at another pathway folder
/// instead of the catalog built into it (shared with the command line).
pub const PATHWAYS_ENV: &str = "STACKPATH_PATHWAYS";

/// Facts about the running program, served by the `app_info` command.
#[derive(Debug, Clone)]
pub struct AppInfo(pub AppInfoDto);

/// Where the database lives, and how long plans search.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The database file; `None` for [`stackpath_store::default_database_path`]
    /// (`$STACKPATH_DATA_DIR/stackpath.db`, or the OS data folder).
    pub database: Option<PathBuf>,
    /// How long a plan searches unless the window asks for longer; `None`
    /// for [`stackpath_app::DEFAULT_TIME_LIMIT`].
    pub time_limit: Option<Duration>,
}

impl Options {
    /// The options the command line gives: `--time-limit SECONDS` sets how
    /// long a plan searches before it settles for its best plan and a lower
    /// bound (2 seconds unless given; a slow machine may want more, and the
    /// end-to-end tests use a tiny limit to see unproven plans). Other
    /// arguments are left to the platform.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let value = match arg.strip_prefix("--time-limit") {
                Some("") => args.next(),
                Some(rest) => match rest.strip_prefix('=') {
                    Some(value) => Some(value.to_string()),
                    None => continue,
                },
                None => continue,
            };
            let value = value.ok_or("--time-limit needs a number of seconds")?;
            let seconds: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("--time-limit needs a number of seconds, not \"{value}\""))?;
            options.time_limit = Some(
                stackpath_app::time_limit_of(seconds).map_err(|e| format!("--time-limit: {e}"))?,
            );
        }
        Ok(options)
    }
}

/// The workspace, or why it could not be opened (a damaged database, a
/// data folder that cannot be written): then every command answers with
/// that error, and the window says so instead of vanishing.
#[derive(Debug)]
pub struct Opened(pub Result<Arc<Workspace>, ErrorDto>);

static STARTED_AT_MS: OnceLock<f64> = OnceLock::new();

fn started_at_ms() -> f64 {
    *STARTED_AT_MS.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    })
}

/// The catalog the app plans on before imports: the folder named by
/// [`PATHWAYS_ENV`] when set, else the files built into the binary.
pub fn bundled_sources() -> Vec<Source> {
    if let Some(dir) = std::env::var_os(PATHWAYS_ENV) {
        let (files, _) = stackpath_format::find_pathway_files(&[PathBuf::from(dir)]);
        return files
            .into_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(&path).ok()?;
                let name = path.file_name()?.to_string_lossy().into_owned();
                Some((name, bytes))
            })
            .collect();
    }
    bundled::BUNDLED_PATHWAYS
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect()
}

/// The learner a new database starts with.
pub fn sample_learner() -> Option<Source> {
    bundled::SAMPLE_LEARNER.map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
}

/// Opens the workspace and registers it and the commands. Generic over the
/// runtime so the headless tests run exactly this.
pub fn setup<R: Runtime>(builder: Builder<R>, options: Options) -> Builder<R> {
    let database: Result<PathBuf, AppError> = match options.database {
        Some(path) => Ok(path),
        None => stackpath_store::default_database_path().map_err(AppError::from),
    };
    let opened = match &database {
        Ok(path) => Workspace::open(path, bundled_sources(), sample_learner())
            .map(|w| match options.time_limit {
                Some(limit) => w.with_time_limit(limit),
                None => w,
            })
            .map(Arc::new)
            .map_err(ErrorDto::from),
        Err(e) => Err(ErrorDto::from(e.clone())),
    };
    let info = AppInfo(AppInfoDto {
        version: env!("CARGO_PKG_VERSION").to_string(),
        started_at_ms: started_at_ms(),
        database: database
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        time_limit_seconds: options
            .time_limit
            .unwrap_or(stackpath_app::DEFAULT_TIME_LIMIT)
            .as_secs_f64(),
    });
    builder
        .manage(Opened(opened))
        .manage(info)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::workspace,
            commands::select_learner,
            commands::create_learner,
            commands::save_learner,
            commands::delete_learner,
            commands::search_credentials,
            commands::credential,
            commands::audit,
            commands::plan_draft,
            commands::plan,
            commands::stop_planning,
            commands::import_pathway,
            commands::remove_pathway,
            commands::save_plan,
            commands::saved_plans,
            commands::delete_saved_plan,
            commands::save_settings,
        ])
}

fn open_main_window<R: Runtime>(app: &mut tauri::App<R>) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_navigation(is_app_url)
        .build()?;
    Ok(())
}

/// The only places the window may show: the bundled UI, or the Vite dev
/// server in a development build. Anything else (a link in a pathway
/// file's text, say) is refused.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(dev) && url.host_str() == Some("localhost") && url.port() == Some(5173))
        }
        _ => false,
    }
}

/// Starts the desktop app with the options of its command line (see
/// [`Options::from_args`]); a bad option stops it with a message and exit
/// status 2.
pub fn run() {
    started_at_ms();
    let options = match Options::from_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("stackpath-desktop: {message}");
            std::process::exit(2);
        }
    };
    setup(tauri::Builder::default(), options)
        // The window is made by hand (it is `"create": false` in the config)
        // so that it gets the navigation guard.
        .setup(|app| Ok(open_main_window(app)?))
        .run(tauri::generate_context!())
        .expect("Stackpath could not start");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn the_command_line_sets_the_time_limit() {
        assert_eq!(parse(&[]).unwrap().time_limit, None);
        assert_eq!(
            parse(&["--time-limit", "30"]).unwrap().time_limit,
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse(&["--time-limit=0.5"]).unwrap().time_limit,
            Some(Duration::from_millis(500))
        );
        // Arguments of the platform's own are left alone.
        assert_eq!(
            parse(&["--some-flag", "x", "--time-limit", "2.5"])
                .unwrap()
                .time_limit,
            Some(Duration::from_millis(2500))
        );
    }

    #[test]
    fn a_bad_time_limit_is_refused_in_words() {
        assert_eq!(
            parse(&["--time-limit"]).unwrap_err(),
            "--time-limit needs a number of seconds"
        );
        assert_eq!(
            parse(&["--time-limit", "soon"]).unwrap_err(),
            "--time-limit needs a number of seconds, not \"soon\""
        );
        assert_eq!(
            parse(&["--time-limit=0"]).unwrap_err(),
            "--time-limit: a search time limit must be more than 0 and at most 3600 seconds, not 0"
        );
    }
}
