//! Report export: a data set's profile (and drift) written to the project's `reports/` folder
//! as standalone HTML or JSON, as a job.

use std::sync::Arc;

use assay_profile::ProfileOptions;
use assay_project::Project;
use assay_report::ProfileReport;

use crate::data_api::{profile_cached, profile_error, source_of};
use crate::dto::*;
use crate::{ApiError, Assay, ErrorCode, JobContext};

impl Assay {
    /// Starts writing a report; the job's result is an ExportedReport.
    pub async fn start_export_report(&self, req: ExportReportRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        source_of(&project, &req.dataset)?;
        if let Some(other) = &req.compare {
            source_of(&project, other)?;
        }
        let title = format!(
            "Export {} report of {}",
            req.format.extension(),
            req.dataset
        );
        let info = self.jobs().spawn(
            "report",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| export(&project, &req, ctx),
        );
        Ok(JobRef { id: info.id })
    }
}

fn export(
    project: &Arc<Project>,
    req: &ExportReportRequest,
    ctx: &JobContext,
) -> Result<ExportedReport, ApiError> {
    let source = source_of(project, &req.dataset)?;
    let options = ProfileOptions::default();
    let fresh = profile_cached(project, &req.dataset, &source, &options, false, ctx)?;
    let mut report = ProfileReport::new(req.dataset.clone(), fresh.profile);
    if let Some(other) = &req.compare {
        let current = source_of(project, other)?;
        let (a, _) = assay_data::scan(&source)?;
        let (b, _) = assay_data::scan(&current)?;
        let drift = assay_profile::compare(a, b, &mut |_, _| !ctx.is_cancelled())
            .map_err(profile_error(&source))?;
        report = report.with_drift(other.clone(), drift);
    }
    let text = render(&report, req.format)?;
    let name = match &req.compare {
        Some(other) => format!("{}-vs-{}", req.dataset, other),
        None => format!("{}-profile", req.dataset),
    };
    let relative = format!("reports/{}.{}", file_stem(&name), req.format.extension());
    write_report(project, relative, text.as_bytes())
}

/// Writes `bytes` to `relative` in the project (creating `reports/` when missing).
pub(crate) fn write_report(
    project: &Project,
    relative: String,
    bytes: &[u8],
) -> Result<ExportedReport, ApiError> {
    let path = project.root().join(&relative);
    project.write_file(&path, bytes)?;
    Ok(ExportedReport {
        path: path.display().to_string(),
        relative_path: relative,
        bytes: bytes.len() as u64,
    })
}

/// The report in `format`.
pub fn render(report: &ProfileReport, format: ReportFormat) -> Result<String, ApiError> {
    let text = match format {
        ReportFormat::Html => assay_report::profile_html(report),
        ReportFormat::Json => report.to_json(),
    };
    text.map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

/// `name` with every character but letters, digits, `-` and `_` replaced by `_`.
pub(crate) fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
