//! MLflow's JSON as servers send it (protobuf JSON drops empty and default fields, so every
//! field is optional here), turned into Assay's tracking types.

use assay_track::{
    DatasetInput, Experiment, KeyValue, LifecycleStage, Metric, ModelAlias, ModelInput,
    ModelOutput, ModelVersion, RegisteredModel, Run, RunData, RunInfo, RunInputs, RunOutputs,
    RunStatus,
};
use serde::Deserialize;

fn stage(s: &str) -> LifecycleStage {
    if s == "deleted" {
        LifecycleStage::Deleted
    } else {
        LifecycleStage::Active
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireExperiment {
    experiment_id: String,
    name: String,
    artifact_location: String,
    lifecycle_stage: String,
    creation_time: i64,
    last_update_time: i64,
    tags: Vec<KeyValue>,
}

impl From<WireExperiment> for Experiment {
    fn from(w: WireExperiment) -> Self {
        Self {
            experiment_id: w.experiment_id,
            name: w.name,
            artifact_location: w.artifact_location,
            lifecycle_stage: stage(&w.lifecycle_stage),
            creation_time: w.creation_time,
            last_update_time: w.last_update_time,
            tags: w.tags,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRunInfo {
    run_id: String,
    run_uuid: String,
    run_name: String,
    experiment_id: String,
    user_id: String,
    status: String,
    start_time: i64,
    end_time: Option<i64>,
    artifact_uri: String,
    lifecycle_stage: String,
}

impl From<WireRunInfo> for RunInfo {
    fn from(w: WireRunInfo) -> Self {
        Self {
            run_id: if w.run_id.is_empty() {
                w.run_uuid
            } else {
                w.run_id
            },
            run_name: w.run_name,
            experiment_id: w.experiment_id,
            user_id: w.user_id,
            status: RunStatus::parse(&w.status).unwrap_or_default(),
            start_time: w.start_time,
            end_time: w.end_time,
            artifact_uri: w.artifact_uri,
            lifecycle_stage: stage(&w.lifecycle_stage),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRunData {
    metrics: Vec<Metric>,
    params: Vec<KeyValue>,
    tags: Vec<KeyValue>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRunInputs {
    dataset_inputs: Vec<DatasetInput>,
    model_inputs: Vec<ModelInput>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRunOutputs {
    model_outputs: Vec<ModelOutput>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRun {
    info: WireRunInfo,
    data: WireRunData,
    inputs: WireRunInputs,
    outputs: WireRunOutputs,
}

impl From<WireRun> for Run {
    fn from(w: WireRun) -> Self {
        let mut info = RunInfo::from(w.info);
        if info.run_name.is_empty()
            && let Some(t) = w.data.tags.iter().find(|t| t.key == "mlflow.runName")
        {
            info.run_name = t.value.clone();
        }
        Self {
            info,
            data: RunData {
                metrics: w.data.metrics,
                params: w.data.params,
                tags: w.data.tags,
            },
            inputs: RunInputs {
                dataset_inputs: w.inputs.dataset_inputs,
                model_inputs: w.inputs.model_inputs,
            },
            outputs: RunOutputs {
                model_outputs: w.outputs.model_outputs,
            },
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireModelVersion {
    name: String,
    version: String,
    creation_timestamp: i64,
    last_updated_timestamp: i64,
    user_id: String,
    current_stage: String,
    description: String,
    source: String,
    run_id: String,
    status: String,
    tags: Vec<KeyValue>,
    run_link: String,
    aliases: Vec<String>,
    model_id: Option<String>,
}

impl From<WireModelVersion> for ModelVersion {
    fn from(w: WireModelVersion) -> Self {
        Self {
            name: w.name,
            version: w.version,
            creation_timestamp: w.creation_timestamp,
            last_updated_timestamp: w.last_updated_timestamp,
            user_id: w.user_id,
            current_stage: if w.current_stage.is_empty() {
                "None".into()
            } else {
                w.current_stage
            },
            description: w.description,
            source: w.source,
            run_id: w.run_id,
            status: if w.status.is_empty() {
                "READY".into()
            } else {
                w.status
            },
            tags: w.tags,
            run_link: w.run_link,
            aliases: w.aliases,
            model_id: w.model_id.filter(|m| !m.is_empty()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRegisteredModel {
    name: String,
    creation_timestamp: i64,
    last_updated_timestamp: i64,
    description: String,
    latest_versions: Vec<WireModelVersion>,
    tags: Vec<KeyValue>,
    aliases: Vec<ModelAlias>,
}

impl From<WireRegisteredModel> for RegisteredModel {
    fn from(w: WireRegisteredModel) -> Self {
        Self {
            name: w.name,
            creation_timestamp: w.creation_timestamp,
            last_updated_timestamp: w.last_updated_timestamp,
            description: w.description,
            latest_versions: w.latest_versions.into_iter().map(Into::into).collect(),
            tags: w.tags,
            aliases: w.aliases,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_protobuf_json_parses() {
        let run: WireRun = serde_json::from_str(
            r#"{"info": {"run_uuid": "abc", "experiment_id": "1", "status": "FINISHED",
                 "start_time": 5, "artifact_uri": "mlflow-artifacts:/1/abc/artifacts",
                 "lifecycle_stage": "active"},
                "data": {"metrics": [{"key": "loss", "value": "NaN", "timestamp": 1, "step": 2}],
                         "tags": [{"key": "mlflow.runName", "value": "r"}]},
                "inputs": {}, "outputs": {}}"#,
        )
        .expect("run");
        let run = Run::from(run);
        assert_eq!(run.info.run_id, "abc");
        assert_eq!(run.info.run_name, "r");
        assert_eq!(run.info.status, RunStatus::Finished);
        assert!(run.data.params.is_empty());
        assert!(run.data.metrics[0].value.is_nan());
        let mv: WireModelVersion =
            serde_json::from_str(r#"{"name": "m", "version": "1", "source": "s"}"#).expect("mv");
        assert_eq!(ModelVersion::from(mv).current_stage, "None");
    }
}
