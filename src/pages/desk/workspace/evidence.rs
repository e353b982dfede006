//! The evidence made readable: the pictures (label photo, QR code, pictures sent later) to look
//! at closely, the QR code's text, what the SADP export says, and every file to download.

use super::viewer::{Picture, PictureViewer};
use crate::api;
use crate::components::file_drop::format_size;
use crate::components::serial_text::SerialText;
use crate::i18n::use_i18n;
use crate::pages::desk::texts::use_desk_i18n;
use api_types::{FileMeta, Method, Workspace};
use leptos::prelude::*;

#[component]
pub(super) fn Evidence(workspace: RwSignal<Workspace>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = use_desk_i18n();
    let case_id = workspace.with_untracked(|w| w.case.summary.id);
    // The picture shown large, if any; the viewer dialog is open while it is set.
    let large = RwSignal::new(None::<Picture>);
    // Only a change of files draws the pictures again (each drawing fetches them anew: the file
    // endpoint lets nothing be cached).
    let files = Memo::new(move |_| workspace.with(|w| w.case.files.clone()));
    let pictures = move || {
        files.with(|files| {
            files
                .iter()
                .filter(|f| f.media_type.starts_with("image/"))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="desk-evidence">
            <h2 id="desk-evidence">{move || desk.t().evidence_title}</h2>
            <ul class="desk-pictures">
                {move || pictures().into_iter().map(|file| {
                    let src = api::file_url(case_id, file.id);
                    let (purpose, name) = (file.purpose.clone(), file.name.clone());
                    let caption = move || format!("{}: {}", desk.t().purpose(&purpose), name);
                    let open = {
                        let (src, caption) = (src.clone(), caption.clone());
                        move |_| large.set(Some(Picture { src: src.clone(), caption: caption() }))
                    };
                    view! {
                        <li>
                            <figure class="desk-picture">
                                <img src=src.clone() alt=caption.clone() loading="lazy" class="desk-picture__img"/>
                                <figcaption>{caption.clone()}</figcaption>
                            </figure>
                            <button type="button" class="button button--secondary" data-testid="view-large" on:click=open>
                                {move || desk.t().view_large}
                                <span class="visually-hidden">": " {caption.clone()}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || workspace.with(|w| {
                let payload = w.case.qr_payload.clone();
                let serial = w.qr_serial.clone();
                (!payload.is_empty()).then(|| view! {
                    <h3>{move || i18n.t().wizard.fact_qr_text}</h3>
                    <pre class="desk-qr mono" data-testid="qr-payload">{payload}</pre>
                    {serial.map(|s| view! {
                        <p>{move || i18n.t().wizard.fact_serial} ": " <span class="mono"><SerialText serial=s/></span></p>
                    })}
                })
            })}
            {move || workspace.with(|w| {
                let sadp = w.case.summary.method == Method::Sadp;
                match w.export.clone() {
                    Some(export) => view! {
                        <h3>{move || desk.t().export_title}</h3>
                        <dl class="facts" data-testid="export-facts">
                            <dt>{move || i18n.t().wizard.fact_serial}</dt>
                            <dd class="mono"><SerialText serial=export.serial/></dd>
                            {export.model.map(|v| view! { <dt>{move || i18n.t().wizard.fact_model}</dt><dd>{v}</dd> })}
                            {export.mac.map(|v| view! { <dt>{move || i18n.t().wizard.fact_mac}</dt><dd class="mono">{v}</dd> })}
                            {export.firmware.map(|v| view! { <dt>{move || i18n.t().wizard.fact_firmware}</dt><dd>{v}</dd> })}
                            {export.exported_at.map(|v| view! { <dt>{move || i18n.t().wizard.fact_exported}</dt><dd>{v}</dd> })}
                        </dl>
                    }.into_any(),
                    None if sadp => view! {
                        <h3>{move || desk.t().export_title}</h3>
                        <p class="muted">{move || desk.t().no_export}</p>
                    }.into_any(),
                    None => ().into_any(),
                }
            })}
            <h3>{move || desk.t().files_title}</h3>
            // Every file of the case: those it was filed with, then those sent in replies.
            {move || {
                let all = workspace.with(|w| {
                    w.case.files.iter().cloned()
                        .chain(w.case.records.iter().flat_map(|r| r.files.iter().cloned()))
                        .collect::<Vec<_>>()
                });
                view! { <FileList case_id files=all/> }
            }}
            <PictureViewer picture=large/>
        </section>
    }
}

/// Files as download links, each with what it is for and its size.
#[component]
pub(super) fn FileList(case_id: i64, files: Vec<FileMeta>) -> impl IntoView {
    let desk = use_desk_i18n();
    if files.is_empty() {
        return view! { <p class="muted">{move || desk.t().no_files}</p> }.into_any();
    }
    view! {
        <ul class="files">
            {files.into_iter().map(|file| {
                let purpose = file.purpose.clone();
                view! {
                    <li>
                        <span class="muted">{move || desk.t().purpose(&purpose)} ": "</span>
                        <a href=api::file_url(case_id, file.id) download=file.name.clone()>{file.name.clone()}</a>
                        <span class="muted">" · " {format_size(file.size as f64)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
