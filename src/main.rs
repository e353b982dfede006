fn main() {
    hpp_web::crash::install();
    // The user's language, when not English, is a lazily loaded part of the app: fetch it first,
    // so that the first page is drawn in it.
    wasm_bindgen_futures::spawn_local(async {
        hpp_web::i18n::load_initial_locale().await;
        leptos::mount::mount_to_body(hpp_web::App);
    });
}
