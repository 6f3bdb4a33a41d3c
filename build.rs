// `sqlx::migrate!` embeds the migrations at compile time; without this, editing one would not
// rebuild the binary that applies it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
