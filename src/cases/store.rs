//! The case draft in IndexedDB: the fields and the chosen files (as Blobs), so that a reload, a
//! lost connection or an expired session loses nothing. Cleared when the case is created.

use super::draft::{DraftFields, Slot};
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

const DATABASE: &str = "hpp";
const STORE: &str = "case-draft";
const FIELDS_KEY: &str = "fields";

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

pub async fn save_fields(fields: &DraftFields) -> Result<(), idb::Error> {
    let json = serde_json::to_string(fields).unwrap_or_default();
    put(FIELDS_KEY, &JsValue::from_str(&json)).await
}

pub async fn load_fields() -> Result<Option<DraftFields>, idb::Error> {
    Ok(get(FIELDS_KEY)
        .await?
        .and_then(|v| v.as_string())
        .and_then(|json| serde_json::from_str(&json).ok()))
}

fn file_key(slot: Slot) -> String {
    format!("file:{}", slot.field())
}

pub async fn save_file(slot: Slot, file: Option<&StoredFile>) -> Result<(), idb::Error> {
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
    put(&file_key(slot), &value).await
}

pub async fn load_file(slot: Slot) -> Result<Option<StoredFile>, idb::Error> {
    let Some(value) = get(&file_key(slot)).await?.filter(|v| v.is_object()) else {
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

/// Forgets the whole draft (after the case is created).
pub async fn clear() -> Result<(), idb::Error> {
    let database = open().await?;
    let transaction = database.transaction(&[STORE], TransactionMode::ReadWrite)?;
    transaction.object_store(STORE)?.clear()?.await?;
    transaction.commit()?.await?;
    Ok(())
}
