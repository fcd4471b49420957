//! Secrets of connections (keys, tokens, passwords): in the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows), or, when no keychain is running, in a
//! `secrets.toml` readable by the user alone. Never in `assay.toml`, never in logs.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::RemoteError;

const SERVICE: &str = "assay";

/// Where secrets go, from `ASSAY_SECRET_STORE` (`auto`, the default; `keychain`; `file`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretMode {
    /// The keychain when one answers, else the file.
    Auto,
    /// The keychain only; an error when none is running.
    Keychain,
    /// The file only.
    File,
}

impl SecretMode {
    /// The mode `ASSAY_SECRET_STORE` asks for.
    pub fn from_env() -> Self {
        match std::env::var("ASSAY_SECRET_STORE").as_deref() {
            Ok("file") => Self::File,
            Ok("keychain") => Self::Keychain,
            _ => Self::Auto,
        }
    }
}

/// Where one secret was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredIn {
    /// The OS keychain.
    Keychain,
    /// The fallback file.
    File,
}

/// The identity of one secret: a field of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretKey {
    account: String,
}

impl SecretKey {
    /// The secret `field` of the connection `name` at `url`.
    pub fn new(name: &str, url: &str, field: &str) -> Self {
        Self {
            account: format!("{name} | {url} | {field}"),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SecretsFile {
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

/// The secret store: the keychain with an explicit file fallback.
#[derive(Debug)]
pub struct Secrets {
    mode: SecretMode,
    file: PathBuf,
    lock: Mutex<()>,
}

impl Secrets {
    /// A store using `file` as the fallback.
    pub fn new(file: PathBuf, mode: SecretMode) -> Self {
        Self {
            mode,
            file,
            lock: Mutex::new(()),
        }
    }

    /// The fallback file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Stores a secret; returns where it went.
    pub fn set(&self, key: &SecretKey, value: &str) -> Result<StoredIn, RemoteError> {
        if self.mode != SecretMode::File {
            match keychain(key).and_then(|e| e.set_password(value)) {
                Ok(()) => {
                    self.edit_file(|f| f.secrets.remove(&key.account).is_some())?;
                    return Ok(StoredIn::Keychain);
                }
                Err(e) if self.mode == SecretMode::Auto && unavailable(&e) => {
                    tracing::info!(file = %self.file.display(), "no keychain answers: the secret goes to the file");
                }
                Err(e) => return Err(RemoteError::Keychain(e.to_string())),
            }
        }
        self.edit_file(|f| {
            f.secrets.insert(key.account.clone(), value.to_string());
            true
        })?;
        Ok(StoredIn::File)
    }

    /// Reads a secret and where it is kept.
    pub fn get(&self, key: &SecretKey) -> Result<Option<(String, StoredIn)>, RemoteError> {
        if self.mode != SecretMode::File {
            match keychain(key).and_then(|e| e.get_password()) {
                Ok(v) => return Ok(Some((v, StoredIn::Keychain))),
                Err(keyring::Error::NoEntry) => {}
                Err(e) if self.mode == SecretMode::Auto && unavailable(&e) => {}
                Err(e) => return Err(RemoteError::Keychain(e.to_string())),
            }
        }
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self
            .read_file()?
            .secrets
            .remove(&key.account)
            .map(|v| (v, StoredIn::File)))
    }

    /// Forgets a secret wherever it is.
    pub fn delete(&self, key: &SecretKey) -> Result<(), RemoteError> {
        if self.mode != SecretMode::File {
            match keychain(key).and_then(|e| e.delete_credential()) {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) if self.mode == SecretMode::Auto && unavailable(&e) => {}
                Err(e) => return Err(RemoteError::Keychain(e.to_string())),
            }
        }
        self.edit_file(|f| f.secrets.remove(&key.account).is_some())
    }

    fn read_file(&self) -> Result<SecretsFile, RemoteError> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SecretsFile::default()),
            Err(e) => return Err(self.file_error(e)),
        };
        toml::from_str(&text).map_err(|e| RemoteError::SecretsFile {
            path: self.file.display().to_string(),
            message: e.message().to_string(),
        })
    }

    fn edit_file(&self, edit: impl FnOnce(&mut SecretsFile) -> bool) -> Result<(), RemoteError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = self.read_file()?;
        if !edit(&mut file) {
            return Ok(());
        }
        let text = toml::to_string(&file).map_err(|e| RemoteError::SecretsFile {
            path: self.file.display().to_string(),
            message: e.to_string(),
        })?;
        self.write_private(text.as_bytes())
    }

    /// Writes the file atomically, readable and writable by its owner only.
    fn write_private(&self, bytes: &[u8]) -> Result<(), RemoteError> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.file_error(e))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".secrets-tmp-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o600));
        }
        let mut tmp = builder.tempfile_in(dir).map_err(|e| self.file_error(e))?;
        tmp.write_all(bytes).map_err(|e| self.file_error(e))?;
        tmp.as_file().sync_all().map_err(|e| self.file_error(e))?;
        tmp.persist(&self.file)
            .map_err(|e| self.file_error(e.error))?;
        Ok(())
    }

    fn file_error(&self, e: std::io::Error) -> RemoteError {
        RemoteError::SecretsFile {
            path: self.file.display().to_string(),
            message: e.to_string(),
        }
    }
}

fn keychain(key: &SecretKey) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, &key.account)
}

fn unavailable(e: &keyring::Error) -> bool {
    matches!(
        e,
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_store_keeps_secrets_private_and_forgets_them() {
        let dir = tempfile::tempdir().expect("dir");
        let secrets = Secrets::new(dir.path().join("cfg/secrets.toml"), SecretMode::File);
        let key = SecretKey::new("lake", "s3://b", "secret_access_key");
        assert_eq!(secrets.get(&key).expect("get"), None);
        assert_eq!(secrets.set(&key, "s3cr3t").expect("set"), StoredIn::File);
        let other = SecretKey::new("lake", "s3://b", "access_key_id");
        secrets.set(&other, "AKIA").expect("set other");
        assert_eq!(
            secrets.get(&key).expect("get"),
            Some(("s3cr3t".into(), StoredIn::File))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(secrets.file())
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        secrets.delete(&key).expect("delete");
        assert_eq!(secrets.get(&key).expect("get"), None);
        assert!(secrets.get(&other).expect("get").is_some());
    }

    #[test]
    fn a_corrupt_secrets_file_is_named() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("secrets.toml");
        std::fs::write(&path, "secrets = [").expect("write");
        let secrets = Secrets::new(path, SecretMode::File);
        let err = secrets
            .get(&SecretKey::new("a", "s3://b", "x"))
            .expect_err("corrupt");
        assert!(err.to_string().contains("secrets.toml"), "{err}");
    }
}
