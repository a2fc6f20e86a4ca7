//! Stackpath's use-case layer: the one API that both the `stackpath` command
//! line and the desktop shell call, so every feature of the app can be
//! scripted and tested without a window.
//!
//! It turns files and transport types ([`dto`]) into domain values, runs the
//! planner, and turns the results back into transport types. It holds no
//! domain logic of its own.

pub mod dto;
mod engine;
mod error;
pub mod workspace;

pub use engine::{
    bundled_catalog_dir, learner_to_dto, time_limit_of, today, Engine, LearnerInput,
    DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT,
};
pub use error::AppError;
