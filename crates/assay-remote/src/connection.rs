//! What a connection needs: the secret fields each kind takes, and the object_store settings a
//! connection (manifest entry plus secrets) turns into.

use assay_data::RemoteAccess;
use assay_project::{ConnectionKind, ConnectionSpec, DatasetSpec, kind_name};

use crate::RemoteError;
use crate::secrets::{SecretKey, Secrets, StoredIn};

/// The secret fields a kind of connection takes.
pub fn secret_fields(kind: ConnectionKind) -> &'static [&'static str] {
    match kind {
        ConnectionKind::S3 => &["access_key_id", "secret_access_key", "session_token"],
        ConnectionKind::Gcs => &["service_account_key"],
        ConnectionKind::Azure => &["access_key", "sas_token"],
        ConnectionKind::Http => &[],
        ConnectionKind::Mlflow => &["token", "password"],
        ConnectionKind::Assay => &["token"],
    }
}

/// Whether the kind is an object store (browsable, holds data sets).
pub fn is_object_store(kind: ConnectionKind) -> bool {
    matches!(
        kind,
        ConnectionKind::S3 | ConnectionKind::Gcs | ConnectionKind::Azure | ConnectionKind::Http
    )
}

/// The key of one secret field of a connection.
pub fn secret_key(spec: &ConnectionSpec, field: &str) -> SecretKey {
    SecretKey::new(&spec.name, &spec.url, field)
}

/// Checks that `field` is a secret this kind of connection takes.
pub fn check_secret_field(kind: ConnectionKind, field: &str) -> Result<(), RemoteError> {
    let allowed = secret_fields(kind);
    if allowed.contains(&field) {
        return Ok(());
    }
    Err(RemoteError::UnknownSecret {
        kind: kind_name(kind),
        field: field.to_string(),
        allowed: if allowed.is_empty() {
            "none".into()
        } else {
            allowed.join(", ")
        },
    })
}

/// Which secret fields are set, and where.
pub fn stored_secrets(
    spec: &ConnectionSpec,
    secrets: &Secrets,
) -> Result<Vec<(&'static str, StoredIn)>, RemoteError> {
    let mut out = Vec::new();
    for field in secret_fields(spec.kind) {
        if let Some((_, place)) = secrets.get(&secret_key(spec, field))? {
            out.push((*field, place));
        }
    }
    Ok(out)
}

/// Checks the URL's scheme against the kind, so a typo is caught when saving.
pub fn validate(spec: &ConnectionSpec) -> Result<(), RemoteError> {
    let invalid = |field: &'static str, message: String| RemoteError::Invalid {
        name: spec.name.clone(),
        field: Some(field),
        message,
    };
    let scheme = spec
        .url
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase())
        .ok_or_else(|| invalid("url", format!("'{}' is not a URL", spec.url)))?;
    let allowed: &[&str] = match spec.kind {
        ConnectionKind::S3 => &["s3", "s3a"],
        ConnectionKind::Gcs => &["gs", "gcs"],
        ConnectionKind::Azure => &["az", "azure", "abfs", "abfss"],
        ConnectionKind::Http | ConnectionKind::Mlflow | ConnectionKind::Assay => &["http", "https"],
    };
    if !allowed.contains(&scheme.as_str()) {
        return Err(invalid(
            "url",
            format!(
                "a {} connection's URL starts with {}",
                kind_name(spec.kind),
                allowed
                    .iter()
                    .map(|s| format!("{s}://"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        ));
    }
    if let Some(e) = &spec.endpoint
        && !(e.starts_with("http://") || e.starts_with("https://"))
    {
        return Err(invalid(
            "endpoint",
            format!("endpoint '{e}' must start with http:// or https://"),
        ));
    }
    if spec.kind == ConnectionKind::Azure && spec.account.as_deref().is_none_or(str::is_empty) {
        return Err(invalid(
            "account",
            "an Azure connection needs the storage account".into(),
        ));
    }
    Ok(())
}

/// The object_store settings of an object-store connection, secrets included.
pub fn access(spec: &ConnectionSpec, secrets: &Secrets) -> Result<RemoteAccess, RemoteError> {
    let secret = |field: &str| -> Result<Option<String>, RemoteError> {
        Ok(secrets.get(&secret_key(spec, field))?.map(|(v, _)| v))
    };
    let mut options: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| options.push((k.to_string(), v));
    let plain_http = spec
        .endpoint
        .as_deref()
        .is_some_and(|e| e.starts_with("http://"));
    if plain_http {
        put("allow_http", "true".into());
    }
    match spec.kind {
        ConnectionKind::S3 => {
            if let Some(e) = &spec.endpoint {
                put("aws_endpoint", e.clone());
            }
            if let Some(r) = &spec.region {
                put("aws_region", r.clone());
            }
            if spec.path_style {
                put("aws_virtual_hosted_style_request", "false".into());
            }
            for (field, key) in [
                ("access_key_id", "aws_access_key_id"),
                ("secret_access_key", "aws_secret_access_key"),
                ("session_token", "aws_session_token"),
            ] {
                if let Some(v) = secret(field)? {
                    put(key, v);
                }
            }
        }
        ConnectionKind::Gcs => {
            if let Some(e) = &spec.endpoint {
                put("google_base_url", e.trim_end_matches('/').to_string());
            }
            match (secret("service_account_key")?, &spec.endpoint) {
                (Some(key), _) => put("google_service_account_key", key),
                (None, Some(endpoint)) => {
                    let anonymous = serde_json::json!({
                        "gcs_base_url": endpoint.trim_end_matches('/'),
                        "disable_oauth": true,
                        "client_email": "",
                        "private_key": "",
                        "private_key_id": "",
                    });
                    put("google_service_account_key", anonymous.to_string());
                }
                (None, None) => {}
            }
        }
        ConnectionKind::Azure => {
            if let Some(a) = &spec.account {
                put("azure_storage_account_name", a.clone());
            }
            if let Some(e) = &spec.endpoint {
                put(
                    "azure_storage_endpoint",
                    e.trim_end_matches('/').to_string(),
                );
            }
            if let Some(k) = secret("access_key")? {
                put("azure_storage_account_key", k);
            }
            if let Some(s) = secret("sas_token")? {
                put("azure_storage_sas_key", s);
            }
        }
        ConnectionKind::Http => {}
        ConnectionKind::Mlflow | ConnectionKind::Assay => {
            return Err(RemoteError::Invalid {
                name: spec.name.clone(),
                field: Some("kind"),
                message: "this is a server connection, not an object store".into(),
            });
        }
    }
    Ok(RemoteAccess::new(options))
}

/// The connection a data set reads through: the one it names, else the object store whose URL
/// is the longest prefix of its path.
pub fn for_dataset<'c>(
    dataset: &DatasetSpec,
    connections: &'c [ConnectionSpec],
) -> Result<Option<&'c ConnectionSpec>, RemoteError> {
    if let Some(name) = &dataset.connection {
        return connections
            .iter()
            .find(|c| &c.name == name)
            .map(Some)
            .ok_or_else(|| RemoteError::UnknownConnection { name: name.clone() });
    }
    Ok(for_url(&dataset.path, connections))
}

/// The object-store connection whose URL is the longest prefix of `url`, if any.
pub fn for_url<'c>(url: &str, connections: &'c [ConnectionSpec]) -> Option<&'c ConnectionSpec> {
    connections
        .iter()
        .filter(|c| is_object_store(c.kind) && covers(&c.url, url))
        .max_by_key(|c| c.url.len())
}

fn covers(base: &str, path: &str) -> bool {
    let base = base.trim_end_matches('/');
    path == base
        || path
            .strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The URL of `path` (relative to the store's root, as listed) under a connection's URL.
pub fn url_of(spec: &ConnectionSpec, path: &str) -> String {
    let base = spec.url.trim_end_matches('/');
    let root = bucket_root(base);
    format!("{root}/{}", path.trim_start_matches('/'))
}

/// `s3://bucket/prefix` -> `s3://bucket`; `https://host/a/b` -> `https://host`.
fn bucket_root(url: &str) -> &str {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url;
    };
    match rest.find('/') {
        Some(i) => &url[..scheme.len() + 3 + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::SecretMode;

    fn s3() -> ConnectionSpec {
        ConnectionSpec {
            name: "lake".into(),
            kind: ConnectionKind::S3,
            url: "s3://bucket/raw".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            path_style: true,
            ..Default::default()
        }
    }

    #[test]
    fn an_s3_connection_becomes_object_store_settings() {
        let dir = tempfile::tempdir().expect("dir");
        let secrets = Secrets::new(dir.path().join("s.toml"), SecretMode::File);
        let spec = s3();
        secrets
            .set(&secret_key(&spec, "secret_access_key"), "shh")
            .expect("set");
        let access = access(&spec, &secrets).expect("access");
        let options: Vec<_> = access.options().collect();
        assert!(options.contains(&("aws_endpoint", "http://127.0.0.1:9000")));
        assert!(options.contains(&("aws_virtual_hosted_style_request", "false")));
        assert!(options.contains(&("aws_secret_access_key", "shh")));
        assert!(options.contains(&("allow_http", "true")));
        assert!(!format!("{access:?}").contains("shh"));
    }

    #[test]
    fn data_sets_find_their_connection_by_prefix() {
        let mut other = s3();
        other.name = "all".into();
        other.url = "s3://bucket".into();
        let connections = vec![other, s3()];
        let ds = |path: &str| DatasetSpec {
            name: "d".into(),
            path: path.into(),
            format: None,
            description: None,
            csv: None,
            connection: None,
        };
        let found = |p: &str| {
            for_dataset(&ds(p), &connections)
                .expect("ok")
                .map(|c| c.name.clone())
        };
        assert_eq!(found("s3://bucket/raw/x.parquet").as_deref(), Some("lake"));
        assert_eq!(found("s3://bucket/rawer/x.parquet").as_deref(), Some("all"));
        assert_eq!(found("gs://elsewhere/x.parquet"), None);
    }

    #[test]
    fn urls_and_kinds_are_checked() {
        let mut bad = s3();
        bad.url = "gs://bucket".into();
        assert!(
            validate(&bad)
                .expect_err("scheme")
                .to_string()
                .contains("s3://")
        );
        assert!(check_secret_field(ConnectionKind::S3, "token").is_err());
        assert_eq!(url_of(&s3(), "raw/x.parquet"), "s3://bucket/raw/x.parquet");
    }
}
