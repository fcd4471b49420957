/// Why a profile could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// Reading the data failed.
    #[error(transparent)]
    Data(#[from] assay_data::DataError),
    /// The engine failed.
    #[error("profiling failed: {0}")]
    Engine(#[from] polars::prelude::PolarsError),
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
}
