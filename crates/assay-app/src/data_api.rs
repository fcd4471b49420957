//! The data and profile calls of the API: schema, pages, SQL, profile jobs (cached by content)
//! and drift. Engine work runs off the async threads.

use std::sync::Arc;

use assay_data::{DataError, DataFormat, Page, Source};
use assay_profile::{Profile, ProfileError, ProfileOptions, Step};
use assay_project::{DatasetSpec, Project, StoredProfile};
use chrono::Utc;

use crate::dto::*;
use crate::{ApiError, Assay, ErrorCode, JobContext};

impl From<DataError> for ApiError {
    fn from(e: DataError) -> Self {
        use serde_json::json;
        let message = e.to_string();
        match e {
            DataError::NotFound { path } => {
                ApiError::new(ErrorCode::NotFound, message).with_details(json!({ "path": path }))
            }
            DataError::Empty { path } | DataError::Format { path, .. } => {
                ApiError::invalid(message).with_details(json!({ "path": path }))
            }
            DataError::Malformed { path, line, .. } => {
                ApiError::invalid(message).with_details(json!({ "path": path, "line": line }))
            }
            DataError::UnknownColumn { column } => {
                ApiError::invalid(message).with_details(json!({ "column": column }))
            }
            DataError::Invalid(_) | DataError::Sql(_) => ApiError::invalid(message),
            DataError::Engine { .. } => ApiError::new(ErrorCode::Internal, message),
            DataError::Remote { url, .. } => {
                ApiError::new(ErrorCode::Io, message).with_details(json!({ "url": url }))
            }
        }
    }
}

/// Runs engine work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("worker failed: {e}")))?
}

fn spec(project: &Project, name: &str) -> Result<DatasetSpec, ApiError> {
    project
        .manifest()
        .datasets
        .into_iter()
        .find(|d| d.name == name)
        .ok_or_else(|| assay_project::ProjectError::UnknownDataset { name: name.into() }.into())
}

/// How to read a data set of the project.
pub(crate) fn source_of(project: &Project, name: &str) -> Result<Source, ApiError> {
    let spec = spec(project, name)?;
    let format = spec
        .effective_format()
        .and_then(|f| DataFormat::parse(&f))
        .ok_or_else(|| ApiError::invalid(format!("cannot tell the format of data set '{name}'")))?;
    let access = crate::connections_api::access_for(project, &spec)?;
    let location = match access {
        Some(_) => spec.path.clone(),
        None => project.resolve(&spec).display().to_string(),
    };
    Ok(Source {
        location,
        format,
        csv: None,
        overrides: spec.csv.as_ref().map(overrides_of),
        access,
    })
}

fn overrides_of(csv: &assay_project::CsvSettings) -> assay_data::CsvOverrides {
    assay_data::CsvOverrides {
        delimiter: csv.delimiter.clone(),
        quote: csv.quote.clone(),
        has_header: csv.has_header,
        null_values: csv.null_values.clone(),
        encoding: csv.encoding.as_deref().map(|e| match e {
            "utf8_lossy" => assay_data::CsvEncodingChoice::Utf8Lossy,
            "latin1" => assay_data::CsvEncodingChoice::Latin1,
            "utf16" => assay_data::CsvEncodingChoice::Utf16,
            _ => assay_data::CsvEncodingChoice::Utf8,
        }),
    }
}

fn settings_of(o: &assay_data::CsvOverrides) -> assay_project::CsvSettings {
    assay_project::CsvSettings {
        delimiter: o.delimiter.clone(),
        quote: o.quote.clone(),
        has_header: o.has_header,
        null_values: o.null_values.clone(),
        encoding: o.encoding.map(|e| match e {
            assay_data::CsvEncodingChoice::Utf8 => "utf8".to_string(),
            assay_data::CsvEncodingChoice::Utf8Lossy => "utf8_lossy".to_string(),
            assay_data::CsvEncodingChoice::Latin1 => "latin1".to_string(),
            assay_data::CsvEncodingChoice::Utf16 => "utf16".to_string(),
        }),
    }
}

fn options_key(options: &ProfileOptions, source: &Source) -> String {
    let json = serde_json::to_vec(&(options, &source.overrides)).unwrap_or_default();
    blake3::hash(&json).to_hex()[..16].to_string()
}

impl Assay {
    /// Sets (or, with no `csv`, clears) how a CSV/TSV data set is read, overriding detection;
    /// the settings are checked against the file before they are saved.
    pub async fn set_dataset_options(
        &self,
        req: DatasetOptionsRequest,
    ) -> Result<DatasetSchema, ApiError> {
        let project = self.project()?;
        let writer = project.clone();
        let name = req.name.clone();
        blocking(move || {
            let mut source = source_of(&writer, &req.name)?;
            if !source.format.is_delimited() {
                return Err(ApiError::invalid(format!(
                    "data set '{}' is not CSV/TSV: it has no dialect to set",
                    req.name
                )));
            }
            source.overrides = req.csv.clone();
            let (mut lf, _) = assay_data::scan(&source)?;
            assay_data::schema_of(&mut lf, "reading with the new settings")?;
            writer.set_dataset_csv(&req.name, req.csv.as_ref().map(settings_of).as_ref())?;
            Ok(())
        })
        .await?;
        self.refreshed(&project);
        self.dataset_schema(DatasetRef { name }).await
    }

    /// A data set's columns, types and row count.
    pub async fn dataset_schema(&self, req: DatasetRef) -> Result<DatasetSchema, ApiError> {
        let project = self.project()?;
        blocking(move || {
            let source = source_of(&project, &req.name)?;
            let (mut lf, csv) = assay_data::scan(&source)?;
            let columns = assay_data::schema_of(&mut lf, "reading the schema")?;
            let rows = assay_data::row_count(lf)
                .map_err(|e| assay_data::explain(&source, csv.as_ref(), e))?;
            Ok(DatasetSchema {
                name: req.name,
                format: source.format,
                csv,
                columns,
                rows,
            })
        })
        .await
    }

    /// One page of a data set, sorted, filtered and searched.
    pub async fn dataset_page(&self, req: DatasetPageRequest) -> Result<Page, ApiError> {
        let project = self.project()?;
        blocking(move || {
            let source = source_of(&project, &req.dataset)?;
            let (lf, _) = assay_data::scan(&source)?;
            Ok(assay_data::page(lf, &req.query)?)
        })
        .await
    }

    /// A page of the result of a SQL query over the project's data sets.
    pub async fn sql_query(&self, req: SqlRequest) -> Result<Page, ApiError> {
        let project = self.project()?;
        blocking(move || {
            let mut tables = Vec::new();
            for d in project.manifest().datasets {
                if d.is_remote() || !req.sql.contains(&d.name) {
                    continue;
                }
                let (lf, _) = assay_data::scan(&source_of(&project, &d.name)?)?;
                tables.push((d.name, lf));
            }
            let lf = assay_data::sql(tables, &req.sql)?;
            Ok(assay_data::page(lf, &req.query)?)
        })
        .await
    }

    /// Starts profiling a data set; a profile of the same content and options is reused.
    pub async fn start_profile(&self, req: ProfileRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let source = source_of(&project, &req.dataset)?;
        let title = format!("Profile {}", req.dataset);
        let info = self.jobs().spawn(
            "profile",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| run_profile(&project, &req, &source, ctx),
        );
        Ok(JobRef { id: info.id })
    }

    /// The newest stored profile of a data set, if any.
    pub async fn get_profile(
        &self,
        req: DatasetRef,
    ) -> Result<Option<StoredProfileInfo>, ApiError> {
        let project = self.project()?;
        blocking(move || {
            let Some(stored) = project.store().latest_profile(&req.name)? else {
                return Ok(None);
            };
            let current = crate::service::dataset_fingerprint(&project, &req.name)
                .is_some_and(|f| f == stored.fingerprint);
            let profile: Profile = serde_json::from_str(&stored.document).map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("stored profile is unreadable: {e}"),
                )
            })?;
            Ok(Some(StoredProfileInfo {
                dataset: stored.dataset,
                fingerprint: stored.fingerprint,
                current,
                created_at: stored.created_at,
                profile,
            }))
        })
        .await
    }

    /// Starts comparing two data sets; the job's result is a DriftReport.
    pub async fn start_compare(&self, req: CompareRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let reference = source_of(&project, &req.reference)?;
        let current = source_of(&project, &req.current)?;
        let title = format!("Compare {} with {}", req.current, req.reference);
        let info = self.jobs().spawn(
            "compare",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| {
                let (a, _) = assay_data::scan(&reference)?;
                let (b, _) = assay_data::scan(&current)?;
                assay_profile::compare(a, b, &mut |done, total| {
                    ctx.progress(Progress {
                        done: done as f64,
                        total: Some(total as f64),
                        unit: "columns".into(),
                        message: "comparing columns".into(),
                    });
                    !ctx.is_cancelled()
                })
                .map_err(profile_error(&reference))
            },
        );
        Ok(JobRef { id: info.id })
    }
}

pub(crate) fn profile_error(source: &Source) -> impl Fn(ProfileError) -> ApiError + '_ {
    move |e| match e {
        ProfileError::Cancelled => ApiError::cancelled(),
        ProfileError::Data(d) => d.into(),
        ProfileError::Engine(p) => assay_data::explain(source, None, p).into(),
    }
}

fn run_profile(
    project: &Arc<Project>,
    req: &ProfileRequest,
    source: &Source,
    ctx: &JobContext,
) -> Result<ProfileSummary, ApiError> {
    let options = req.options.clone().unwrap_or_default();
    let refresh = req.refresh.unwrap_or(false);
    let fresh = profile_cached(project, &req.dataset, source, &options, refresh, ctx)?;
    Ok(summary(
        &req.dataset,
        &fresh.fingerprint,
        &fresh.profile,
        fresh.cached,
    ))
}

/// A profile of a data set's current content, from the store when one was made with the same
/// options, otherwise computed and stored.
pub(crate) struct FreshProfile {
    pub profile: Profile,
    pub fingerprint: String,
    pub cached: bool,
}

pub(crate) fn profile_cached(
    project: &Arc<Project>,
    dataset: &str,
    source: &Source,
    options: &ProfileOptions,
    refresh: bool,
    ctx: &JobContext,
) -> Result<FreshProfile, ApiError> {
    let key = options_key(options, source);
    let started = Utc::now();
    ctx.progress(Progress {
        unit: "steps".into(),
        message: "fingerprinting the file".into(),
        ..Progress::default()
    });
    let (fingerprint, bytes) = match &source.access {
        Some(access) => {
            assay_data::remote::block_on(assay_data::remote::fingerprint(&source.location, access))?
        }
        None => {
            let file =
                assay_project::fingerprint_file(std::path::Path::new(&source.location), |_| {
                    !ctx.is_cancelled()
                })?
                .ok_or_else(ApiError::cancelled)?;
            (file.hash, file.bytes)
        }
    };
    project
        .store()
        .put_fingerprint(&assay_project::StoredFingerprint {
            dataset: dataset.to_string(),
            hash: fingerprint.clone(),
            bytes,
            computed_at: started,
        })?;
    if !refresh
        && let Some(hit) = project.store().profile(dataset, &fingerprint, &key)?
        && let Ok(profile) = serde_json::from_str::<Profile>(&hit.document)
    {
        return Ok(FreshProfile {
            profile,
            fingerprint,
            cached: true,
        });
    }
    let (lf, csv) = assay_data::scan(source)?;
    let profile = assay_profile::profile(lf, options, &mut |step| {
        if let Step::Column { done, total, name } = step {
            ctx.progress(Progress {
                done: *done as f64,
                total: Some(*total as f64),
                unit: "columns".into(),
                message: format!("profiling {name}"),
            });
        }
        !ctx.is_cancelled()
    })
    .map_err(|e| match e {
        ProfileError::Engine(p) => assay_data::explain(source, csv.as_ref(), p).into(),
        other => profile_error(source)(other),
    })?;
    let document = serde_json::to_string(&profile)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    project.store().put_profile(&StoredProfile {
        dataset: dataset.to_string(),
        fingerprint: fingerprint.clone(),
        options_key: key,
        created_at: Utc::now(),
        document,
    })?;
    Ok(FreshProfile {
        profile,
        fingerprint,
        cached: false,
    })
}

fn summary(dataset: &str, fingerprint: &str, p: &Profile, cached: bool) -> ProfileSummary {
    ProfileSummary {
        dataset: dataset.to_string(),
        fingerprint: fingerprint.to_string(),
        rows: p.table.rows,
        columns: p.table.columns,
        alerts: p.alerts.len() as u32,
        elapsed_ms: p.run.elapsed_ms,
        cached,
    }
}

/// Profiles a file outside any project (the CLI's `assay profile FILE`).
/// `progress(done, total, column)` returning `false` cancels.
pub fn profile_file(
    location: &str,
    options: &ProfileOptions,
    progress: &mut dyn FnMut(usize, usize, &str) -> bool,
) -> Result<Profile, ApiError> {
    let source = file_source(location)?;
    let (lf, csv) = assay_data::scan(&source)?;
    assay_profile::profile(lf, options, &mut |step| match step {
        Step::Column { done, total, name } => progress(*done, *total, name),
        Step::Table => progress(usize::MAX, 0, ""),
    })
    .map_err(|e| match e {
        ProfileError::Engine(p) => assay_data::explain(&source, csv.as_ref(), p).into(),
        other => profile_error(&source)(other),
    })
}

/// Compares two files outside any project (the CLI's `assay profile A --compare B`).
pub fn compare_files(
    reference: &str,
    current: &str,
) -> Result<assay_profile::DriftReport, ApiError> {
    let a = file_source(reference)?;
    let b = file_source(current)?;
    let (la, _) = assay_data::scan(&a)?;
    let (lb, _) = assay_data::scan(&b)?;
    assay_profile::compare(la, lb, &mut |_, _| true).map_err(profile_error(&a))
}

fn file_source(location: &str) -> Result<Source, ApiError> {
    Source::from_path(location).ok_or_else(|| {
        ApiError::invalid(format!(
            "cannot tell the format of '{location}': use a .csv, .tsv, .parquet, .json, .ndjson or .arrow file"
        ))
        .with_details(serde_json::json!({ "path": location }))
    })
}
