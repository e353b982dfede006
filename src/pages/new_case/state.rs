//! The wizard's state: the draft's fields, its files per slot, and what to say at each field.

use crate::cases::draft::{Attached, DraftFields, Slot};
use crate::cases::intake::FileProblem;
use crate::cases::store::{self, StoredFile};
use crate::i18n::{fill, I18n};
use api_types::sadp::DeviceExport;
use api_types::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;

/// A file in the draft, with its thumbnail for pictures.
#[derive(Clone, Debug)]
pub(super) struct DraftFile {
    pub(super) stored: StoredFile,
    pub(super) preview: Option<String>,
}

/// One file slot of the draft: the chosen file, the complaint about the last file offered for
/// it (the chosen one stays), and whether a file is being read into it.
#[derive(Clone, Debug, Default)]
pub(super) struct SlotState {
    pub(super) file: Option<DraftFile>,
    pub(super) problem: Option<FileProblem>,
    pub(super) busy: bool,
}

/// The wizard's shared state; steps receive it whole because they edit one draft together.
#[derive(Clone, Copy)]
pub(super) struct Wizard {
    /// The account the draft belongs to.
    pub(super) owner: i64,
    pub(super) fields: RwSignal<DraftFields>,
    pub(super) slots: RwSignal<HashMap<Slot, SlotState>, LocalStorage>,
    /// What the chosen SADP export names.
    pub(super) export: RwSignal<Option<DeviceExport>>,
    /// Complaints the backend sent for the last submission.
    pub(super) server_errors: RwSignal<Vec<FieldError>>,
    /// Set when the user tried to leave a step that is not complete.
    pub(super) show_issues: RwSignal<bool>,
    pub(super) restored: RwSignal<bool>,
}

impl Wizard {
    /// The chosen files, as the draft's checks see them.
    pub(super) fn attached(&self) -> Attached {
        Attached {
            slots: self.slots.with(|slots| {
                slots
                    .iter()
                    .filter(|(_, state)| state.file.is_some())
                    .map(|(slot, _)| *slot)
                    .collect()
            }),
            export_serial: self.export.with(|e| e.as_ref().map(|e| e.serial.clone())),
        }
    }

    pub(super) fn update(&self, change: impl FnOnce(&mut DraftFields)) {
        self.fields.update(change);
        self.server_errors.set(Vec::new());
    }

    /// The message to show at `field`: what the user must still do, or what the backend said.
    pub(super) fn field_error(&self, field: &'static str, i18n: &I18n) -> Option<String> {
        let server = self.server_errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                let values: Vec<(&str, &str)> = e
                    .values
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect();
                i18n.t().errors.describe(e.code, &values)
            })
        });
        if server.is_some() {
            return server;
        }
        if let Some(slot) = Slot::from_field(field) {
            let state = self.slot(slot);
            if let Some(problem) = state.problem {
                // The refused file did not replace the one shown beside the message.
                let kept = state
                    .file
                    .map(|f| fill(i18n.t().wizard.kept_file, &[("name", &f.stored.name)]));
                return Some(match kept {
                    Some(kept) => format!("{} {kept}", problem.text(i18n)),
                    None => problem.text(i18n),
                });
            }
        }
        let attached = self.attached();
        // A serial that disagrees with a file is said as soon as both are there; what is
        // merely missing waits until the user tries to go on.
        let show_all = self.show_issues.get();
        self.fields
            .with(|fields| fields.form_issues(&attached))
            .into_iter()
            .filter(|issue| show_all || issue.code == ErrorCode::SerialMismatch)
            .find(|issue| issue.field == field)
            .map(|issue| {
                let values: Vec<(&str, &str)> =
                    issue.values.iter().map(|(n, v)| (*n, v.as_str())).collect();
                i18n.t().errors.describe(issue.code, &values)
            })
    }

    pub(super) fn set_file(&self, slot: Slot, file: Option<DraftFile>) {
        let stored = file.as_ref().map(|f| f.stored.clone());
        self.slots.update(|slots| {
            let state = slots.entry(slot).or_default();
            if let Some(old) = state.file.take().and_then(|f| f.preview) {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
            state.file = file;
        });
        self.server_errors
            .update(|errors| errors.retain(|e| e.field != slot.field()));
        let owner = self.owner;
        spawn_local(async move {
            let _ = store::save_file(owner, slot, stored.as_ref()).await;
        });
    }
}

impl Wizard {
    /// The slot as it is now (tracked).
    pub(super) fn slot(&self, slot: Slot) -> SlotState {
        self.slots
            .with(|slots| slots.get(&slot).cloned())
            .unwrap_or_default()
    }

    pub(super) fn set_problem(&self, slot: Slot, problem: Option<FileProblem>) {
        self.slots
            .update(|slots| slots.entry(slot).or_default().problem = problem);
    }

    pub(super) fn set_busy(&self, slot: Slot, busy: bool) {
        self.slots
            .update(|slots| slots.entry(slot).or_default().busy = busy);
    }

    /// Whether any file is still being read.
    pub(super) fn any_busy(&self) -> bool {
        self.slots.with(|slots| slots.values().any(|s| s.busy))
    }

    /// The chosen files of `slots`, in that order.
    pub(super) fn files_in(&self, slots: &[Slot]) -> Vec<(Slot, DraftFile)> {
        self.slots.with(|states| {
            slots
                .iter()
                .filter_map(|slot| Some((*slot, states.get(slot)?.file.clone()?)))
                .collect()
        })
    }
}

pub(super) fn object_url(blob: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}
