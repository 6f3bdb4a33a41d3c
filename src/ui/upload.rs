//! File uploads with XMLHttpRequest, whose upload events give real progress (fetch has none).

/// Posts `file` as the request body. `on_progress` gets the fraction sent; `on_done` gets the
/// status (0 when the connection failed) and the response text.
#[cfg(feature = "hydrate")]
pub fn post_file(url: &str, file: &web_sys::File, on_progress: impl Fn(f64) + 'static, on_done: impl FnOnce(u16, String) + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return on_done(0, String::new()) };
    if xhr.open("POST", url).is_err() {
        return on_done(0, String::new());
    }
    let _ = xhr.set_request_header("Content-Type", "text/csv");
    let _ = xhr.set_request_header("Accept", "application/json");
    if let Ok(upload) = xhr.upload() {
        let progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
    }
    let reply = xhr.clone();
    let done = Closure::once_into_js(move || {
        let status = reply.status().unwrap_or(0);
        on_done(status, reply.response_text().ok().flatten().unwrap_or_default());
    });
    xhr.set_onloadend(Some(done.unchecked_ref()));
    if xhr.send_with_opt_blob(Some(file)).is_err() {
        // onloadend still fires with status 0, which reports the failure.
    }
}

/// The `error` message of a JSON error body, or a sentence about the status.
pub fn error_message(status: u16, body: &str) -> String {
    if status == 0 {
        return "The upload failed; check the connection and try again.".into();
    }
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .unwrap_or_else(|| format!("The server answered {status}."))
}

/// How far an upload has gone: the bar and what is happening, said to screen readers too.
#[leptos::component]
pub fn UploadProgress(fraction: f64, #[prop(optional)] storing: bool) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let pct = fraction * 100.0;
    view! {
        <div class="progress-row" role="status">
            <progress max="100" value=format!("{pct:.0}")></progress>
            <span>{if storing { format!("Sending and storing… {pct:.0} %") } else { format!("Uploading and checking… {pct:.0} %") }}</span>
        </div>
    }
}

/// Where a file that is checked first, then stored, stands: the state every import island
/// keeps, with the report type its server answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Upload<R> {
    Idle,
    Sending { fraction: f64, storing: bool },
    Report(R),
    Failed(String),
}

/// Sends the file chosen in `input` to `url` (with `&commit=1` or `?commit=1` to store it),
/// tracking it in `state`. `stored` answers the message to show once the report says the file
/// was stored; the page then loads again, showing it.
#[cfg(feature = "hydrate")]
pub fn send_chosen<R>(input: leptos::prelude::NodeRef<leptos::html::Input>, state: leptos::prelude::RwSignal<Upload<R>>, url: &str, commit: bool, stored: impl Fn(&R) -> Option<String> + 'static)
where
    R: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    use leptos::prelude::*;
    let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
        state.set(Upload::Failed("Choose a file first.".into()));
        return;
    };
    let url = if commit { format!("{url}{}commit=1", if url.contains('?') { '&' } else { '?' }) } else { url.to_string() };
    state.set(Upload::Sending { fraction: 0.0, storing: commit });
    post_file(
        &url,
        &file,
        move |f| state.set(Upload::Sending { fraction: f, storing: commit }),
        move |status, body| {
            let next = match (status, serde_json::from_str::<R>(&body)) {
                (200 | 422, Ok(report)) => match stored(&report) {
                    Some(message) => {
                        crate::ui::Flash::reload(message);
                        Upload::Sending { fraction: 1.0, storing: true }
                    }
                    None => Upload::Report(report),
                },
                _ => Upload::Failed(error_message(status, &body)),
            };
            state.set(next);
        },
    );
}

/// An upload's progress or failure; nothing while idle or once there is a report.
#[leptos::component]
pub fn UploadStatus<R: 'static>(state: Upload<R>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    match state {
        Upload::Sending { fraction, storing } => view! { <UploadProgress fraction storing /> }.into_any(),
        Upload::Failed(m) => view! { <p class="alert alert-error" role="alert">{m}</p> }.into_any(),
        Upload::Idle | Upload::Report(_) => ().into_any(),
    }
}
