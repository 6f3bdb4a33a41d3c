//! Uploads written to disk as they arrive, so a file of any size the limit allows costs the
//! server a buffer, not its size in memory.

use crate::platform::error::AppError;
use axum::body::Body;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

/// Writes `body` to `path`, refusing it (413) once past `max` bytes. Answers its size.
pub async fn to_file(body: Body, path: &std::path::Path, max: u64) -> Result<u64, AppError> {
    let io = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::StorageFull {
            tracing::warn!(error = %e, "no room for an upload");
            return AppError::Unavailable { message: "The server's disk is full, so the file was not received. Nothing was changed.".into() };
        }
        tracing::error!(error = %e, "writing an upload failed");
        AppError::Internal
    };
    let mut file = tokio::io::BufWriter::new(tokio::fs::File::create(path).await.map_err(io)?);
    let mut stream = body.into_data_stream();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest { message: "the upload was interrupted".into() })?;
        size += chunk.len() as u64;
        if size > max {
            return Err(AppError::TooLarge { message: format!("The file is larger than {} MiB; split it into smaller files.", max >> 20) });
        }
        file.write_all(&chunk).await.map_err(io)?;
    }
    file.flush().await.map_err(io)?;
    Ok(size)
}
