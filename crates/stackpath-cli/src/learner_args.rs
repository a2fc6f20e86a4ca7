//! The catalog and learner arguments shared by every command that plans
//! (spec/cli.md): a learner file or `--holding` flags, constraints that
//! override the file, and the catalog to plan on.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use stackpath_app::dto::{HoldingDto, LearnerDto, MoneyDto};
use stackpath_app::{bundled_catalog_dir, Engine};
use stackpath_format::LoadOptions;

#[derive(Debug, Args)]
pub struct LearnerArgs {
    /// A pathway file, or a folder searched recursively for *.pathway.json; repeatable.
    /// Default: the bundled catalog.
    #[arg(long = "catalog", value_name = "PATH")]
    pub catalog: Vec<PathBuf>,
    /// A learner file (*.learner.json).
    #[arg(long, value_name = "FILE")]
    pub learner: Option<PathBuf>,
    /// A held credential and the date it was earned (default: the start date); repeatable.
    #[arg(long = "holding", value_name = "ID[@YYYY-MM-DD]")]
    pub holdings: Vec<String>,
    /// The credential to reach. Default: the learner file's goal.
    #[arg(long, value_name = "ID")]
    pub target: Option<String>,
    /// The day the plan starts (default: the learner file's, else today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Hours a week the learner can study (default: the learner file's, else 10).
    #[arg(long = "hours-per-week", value_name = "N")]
    pub hours_per_week: Option<f64>,
    /// The most the plan may cost, in the catalog's currency.
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<f64>,
    /// A credential the plan must not earn; repeatable.
    #[arg(long = "avoid", value_name = "ID")]
    pub avoid: Vec<String>,
}

/// A catalog, a learner and a target, ready to audit or plan.
#[derive(Debug)]
pub struct Session {
    pub engine: Engine,
    pub learner: LearnerDto,
    pub target: String,
}

impl LearnerArgs {
    pub fn resolve(&self) -> anyhow::Result<Session> {
        let mut learner = match &self.learner {
            Some(path) => Engine::learner_from_file(path)?,
            None => LearnerDto {
                name: "Learner".into(),
                ..LearnerDto::default()
            },
        };
        if let Some(start) = &self.start {
            learner.constraints.start = Some(start.clone());
        }
        if learner.constraints.start.is_none() {
            learner.constraints.start = Some(stackpath_app::today().to_string());
        }
        let start = learner.constraints.start.clone().unwrap_or_default();
        for h in &self.holdings {
            let (id, earned) = match h.split_once('@') {
                Some((id, date)) => (id, date.to_string()),
                None => (h.as_str(), start.clone()),
            };
            learner.holdings.push(HoldingDto {
                id: id.to_string(),
                earned,
                source: Some("command line".into()),
            });
        }
        if let Some(h) = self.hours_per_week {
            learner.constraints.hours_per_week = Some(h);
        }
        learner.constraints.avoid.extend(self.avoid.iter().cloned());
        let target = match (&self.target, &learner.target) {
            (Some(t), _) => t.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => bail!("no target: pass --target ID, or a learner file with a goal"),
        };
        learner.target = Some(target.clone());
        let engine = load_engine(&self.catalog)?;
        if let Some(amount) = self.budget {
            let currency = match &learner.constraints.budget {
                Some(b) => b.currency.clone(),
                None => engine.currency_for(&target),
            };
            learner.constraints.budget = Some(MoneyDto { amount, currency });
        }
        Ok(Session {
            engine,
            learner,
            target,
        })
    }
}

/// Loads the catalog (default: the bundled one). Errors in the files are
/// printed to standard error and planning goes on with what loaded, so one
/// broken file never hides the others; `stackpath check` tells the whole story.
pub fn load_engine(paths: &[PathBuf]) -> anyhow::Result<Engine> {
    let paths = if paths.is_empty() {
        vec![bundled_catalog_dir()]
    } else {
        paths.to_vec()
    };
    // Only errors are printed here, so warnings need no "did you mean" hints.
    let options = LoadOptions {
        suggest: false,
        ..LoadOptions::default()
    };
    let engine = Engine::load_with(&paths, &options).with_context(|| {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        format!("cannot load the catalog {}", shown.join(", "))
    })?;
    let errors: Vec<_> = engine
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .collect();
    for d in &errors {
        eprintln!("{d}");
    }
    if !errors.is_empty() {
        eprintln!(
            "stackpath: the catalog has {} error(s); planning with what loaded (run `stackpath check` for details)",
            errors.len()
        );
    }
    Ok(engine)
}
