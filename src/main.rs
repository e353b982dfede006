fn main() {
    hpp_web::crash::install();
    leptos::mount::mount_to_body(hpp_web::App);
}
