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
