//! The case draft in IndexedDB: the fields and the chosen files (as Blobs), so that a reload, a
//! lost connection or an expired session loses nothing. Cleared when the case is created.
//!
//! A draft belongs to the account that made it: every key starts with the account's id, so the
//! next account on the same browser (a shared office computer, a session that expired) never
//! sees it. Signing out discards every draft of this browser (`discard_all`, in the shell).

use super::draft::{DraftFields, Slot};
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// The database's name; the shell deletes it at sign-out.
pub const DATABASE: &str = "hpp";
const STORE: &str = "case-draft";

/// The key of one part of `owner`'s draft.
fn key(owner: i64, part: &str) -> String {
    format!("{owner}:{part}")
}

/// A file chosen for the draft, as stored.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub name: String,
    pub media_type: String,
    /// What is uploaded: for photos, the downscaled JPEG.
    pub blob: Blob,
}

async fn open() -> Result<Database, idb::Error> {
    let factory = Factory::new()?;
    let mut request = factory.open(DATABASE, Some(1))?;
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database() {
            let _ = database.create_object_store(STORE, ObjectStoreParams::new());
        }
    });
    request.await
}

async fn put(key: &str, value: &JsValue) -> Result<(), idb::Error> {
    let database = open().await?;
    let transaction = database.transaction(&[STORE], TransactionMode::ReadWrite)?;
    let store = transaction.object_store(STORE)?;
    store.put(value, Some(&JsValue::from_str(key)))?.await?;
    transaction.commit()?.await?;
    Ok(())
}

async fn get(key: &str) -> Result<Option<JsValue>, idb::Error> {
    let database = open().await?;
    let transaction = database.transaction(&[STORE], TransactionMode::ReadOnly)?;
    let store = transaction.object_store(STORE)?;
    let value = store.get(JsValue::from_str(key))?.await?;
    transaction.await?;
    Ok(value)
}

pub async fn save_fields(owner: i64, fields: &DraftFields) -> Result<(), idb::Error> {
    let json = serde_json::to_string(fields).unwrap_or_default();
    put(&key(owner, "fields"), &JsValue::from_str(&json)).await
}

pub async fn load_fields(owner: i64) -> Result<Option<DraftFields>, idb::Error> {
    Ok(get(&key(owner, "fields"))
        .await?
        .and_then(|v| v.as_string())
        .and_then(|json| serde_json::from_str(&json).ok()))
}

fn file_key(owner: i64, slot: Slot) -> String {
    key(owner, &format!("file:{}", slot.field()))
}

pub async fn save_file(
    owner: i64,
    slot: Slot,
    file: Option<&StoredFile>,
) -> Result<(), idb::Error> {
    let value = match file {
        Some(file) => {
            let object = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&object, &"name".into(), &file.name.as_str().into());
            let _ = js_sys::Reflect::set(&object, &"type".into(), &file.media_type.as_str().into());
            let _ = js_sys::Reflect::set(&object, &"blob".into(), &file.blob);
            object.into()
        }
        None => JsValue::NULL,
    };
    put(&file_key(owner, slot), &value).await
}

pub async fn load_file(owner: i64, slot: Slot) -> Result<Option<StoredFile>, idb::Error> {
    let Some(value) = get(&file_key(owner, slot)).await?.filter(|v| v.is_object()) else {
        return Ok(None);
    };
    let text = |name: &str| {
        js_sys::Reflect::get(&value, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let blob = js_sys::Reflect::get(&value, &"blob".into())
        .ok()
        .and_then(|b| b.dyn_into::<Blob>().ok());
    Ok(blob.map(|blob| StoredFile {
        name: text("name"),
        media_type: text("type"),
        blob,
    }))
}

/// Forgets `owner`'s draft (after the case is created).
pub async fn clear(owner: i64) -> Result<(), idb::Error> {
    let database = open().await?;
    let transaction = database.transaction(&[STORE], TransactionMode::ReadWrite)?;
    let store = transaction.object_store(STORE)?;
    store
        .delete(JsValue::from_str(&key(owner, "fields")))?
        .await?;
    for slot in Slot::ALL {
        store
            .delete(JsValue::from_str(&file_key(owner, slot)))?
            .await?;
    }
    transaction.commit()?.await?;
    Ok(())
}
