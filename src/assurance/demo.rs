//! Demo findings: a year of scans of the demo systems by Trivy, Grype and Semgrep, and a
//! penetration test kept as CSV, in every severity and state: fixed by the deadline and after
//! it, open with time left, and open past the deadline (a critical one on the Payments service,
//! which the alert rule catches). The two security KPIs are kept from them. Dates are relative
//! to now.

use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use sqlx::SqlitePool;

const DAY: i64 = 86_400;

/// (system key, tool, rule, title, severity, location, first seen days ago, fixed days ago).
type Finding = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, i64, Option<i64>);

const FINDINGS: &[Finding] = &[
    ("payments", "Trivy", "CVE-2024-45337", "golang.org/x/crypto: misuse of ServerConfig.PublicKeyCallback may bypass authorization", "critical", "go.mod: golang.org/x/crypto", 12, None),
    ("payments", "Trivy", "CVE-2023-45853", "zlib: integer overflow in zipOpenNewFileInZip4_6", "critical", "library/zlib1g", 60, Some(55)),
    ("payments", "Trivy", "CVE-2024-24790", "golang: net/netip: unexpected behavior from Is methods for IPv4-mapped IPv6 addresses", "high", "stdlib", 20, None),
    ("payments", "Semgrep", "go.lang.security.audit.crypto.math_random", "Do not use math/rand for secrets", "medium", "internal/token/token.go:41", 40, None),
    ("payments", "Semgrep", "go.lang.security.audit.net.use-tls", "Plain HTTP listener", "medium", "cmd/server/main.go:88", 150, Some(120)),
    ("api", "Trivy", "CVE-2023-44487", "HTTP/2 rapid reset can cause excessive work in net/http", "high", "stdlib", 200, Some(185)),
    ("api", "Trivy", "CVE-2024-21626", "runc: file descriptor leak in the container runtime", "high", "library/runc", 35, None),
    ("api", "Trivy", "CVE-2023-39325", "golang: net/http, x/net/http2: rapid stream resets can cause excessive work", "high", "golang.org/x/net", 300, Some(250)),
    ("api", "Semgrep", "python.lang.security.audit.formatted-sql-query", "SQL built with string formatting", "high", "api/reports/query.py:112", 5, None),
    ("api", "Semgrep", "python.flask.security.audit.debug-enabled", "Flask debug mode on", "low", "api/app.py:19", 100, None),
    ("web", "Grype", "GHSA-c2qf-rxjj-qqgw", "semver: regular expression denial of service", "medium", "package-lock.json: semver", 80, None),
    ("web", "Grype", "GHSA-952p-6rrq-rcjv", "micromatch: regular expression denial of service", "medium", "package-lock.json: micromatch", 130, Some(60)),
    ("web", "Grype", "GHSA-grv7-fg5c-xmjg", "braces: uncontrolled resource consumption", "high", "package-lock.json: braces", 170, Some(150)),
    ("web", "PenTest Co", "Stored XSS in profile name", "Stored cross-site scripting in the profile name", "high", "/settings/profile", 95, Some(70)),
    ("web", "PenTest Co", "Missing rate limit on password reset", "No rate limit on password reset e-mails", "medium", "/api/auth/reset", 95, None),
    ("web", "PenTest Co", "Verbose error pages", "Stack traces in error pages", "low", "/api/*", 95, Some(40)),
    ("data-pipeline", "Trivy", "CVE-2022-40897", "setuptools: regular expression denial of service in package_index.py", "medium", "requirements.txt: setuptools", 250, Some(200)),
    ("data-pipeline", "Trivy", "CVE-2024-3651", "idna: denial of service via resource consumption", "medium", "requirements.txt: idna", 70, Some(30)),
    ("data-pipeline", "Trivy", "CVE-2024-6345", "setuptools: remote code execution via download functions", "high", "requirements.txt: setuptools", 45, None),
    ("primary-db", "Trivy", "CVE-2024-7348", "PostgreSQL: pg_dump race allows arbitrary SQL as the dump's user", "high", "library/postgresql-16", 110, Some(95)),
    ("primary-db", "Trivy", "CVE-2024-10979", "PostgreSQL PL/Perl: environment variable changes", "high", "library/postgresql-16", 15, None),
    ("primary-db", "Trivy", "CVE-2023-5869", "PostgreSQL: buffer overrun from integer overflow in array modification", "critical", "library/postgresql-15", 330, Some(326)),
    ("cache", "Trivy", "CVE-2023-41056", "Redis: heap overflow when resizing a hash table", "high", "library/redis", 260, Some(240)),
    ("cache", "Trivy", "CVE-2024-31449", "Redis: Lua library stack overflow", "medium", "library/redis", 60, None),
    ("vpn", "Trivy", "CVE-2024-6387", "OpenSSH: signal handler race condition (regreSSHion)", "critical", "library/openssh-server", 150, Some(146)),
    ("vpn", "Trivy", "CVE-2023-48795", "SSH Terrapin prefix truncation attack", "medium", "library/openssh-server", 340, Some(150)),
    ("object-storage", "Grype", "CVE-2024-3094", "xz: malicious code in the liblzma build", "critical", "library/xz-utils", 245, Some(244)),
    ("object-storage", "Grype", "CVE-2023-4863", "libwebp: heap buffer overflow", "high", "library/libwebp7", 200, Some(160)),
    ("queue", "Trivy", "CVE-2023-46120", "RabbitMQ Java client: message body size not limited", "low", "pom.xml: amqp-client", 300, Some(90)),
    ("queue", "Trivy", "CVE-2024-45296", "path-to-regexp: backtracking regular expressions", "low", "package-lock.json: path-to-regexp", 30, None),
];

/// Adds the demo findings unless findings exist; keeps the KPIs for the demo's CTO.
pub async fn seed(pool: &SqlitePool, now: i64) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM findings").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let cto = crate::auth::repo::user_by_email(pool, "cto@northstar.demo").await?.map(|u| u.into_user());
    let mut tx = begin_write(pool).await?;
    for (system, tool, rule, title, severity, location, seen, fixed) in FINDINGS {
        let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM systems WHERE key = ?1").bind(system).fetch_optional(&mut *tx).await? else { continue };
        let first_seen = now - seen * DAY - 3 * 3600;
        let fixed_at = fixed.map(|d| now - d * DAY);
        let last_seen = fixed_at.unwrap_or(now - DAY);
        sqlx::query(
            "INSERT INTO findings (system_id, tool, rule, match_key, title, severity, location, message, first_seen, last_seen, fixed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .bind(id)
        .bind(tool)
        .bind(rule)
        .bind(format!("{rule}\u{1f}{location}"))
        .bind(title)
        .bind(severity)
        .bind(location)
        .bind(format!("{title} ({location})."))
        .bind(first_seen)
        .bind(last_seen)
        .bind(fixed_at)
        .execute(&mut *tx)
        .await?;
    }
    // Yesterday's nightly scans, as the import history shows them.
    let scans: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT system_id, tool, count(*) FILTER (WHERE fixed_at IS NULL), count(*) FILTER (WHERE fixed_at IS NOT NULL AND fixed_at > ?1) FROM findings GROUP BY system_id, tool ORDER BY system_id, tool",
    )
    .bind(now - 2 * DAY)
    .fetch_all(&mut *tx)
    .await?;
    for (system, tool, open, fixed) in scans {
        let source = if tool == "PenTest Co" { "csv" } else { "api" };
        let by = if tool == "PenTest Co" { "Daniel Okafor" } else { "CI pipeline" };
        sqlx::query("INSERT INTO finding_imports (system_id, source, tools, new, seen, reopened, fixed, by_label, at) VALUES (?1, ?2, ?3, 0, ?4, 0, ?5, ?6, ?7)")
            .bind(system)
            .bind(source)
            .bind(&tool)
            .bind(open)
            .bind(fixed)
            .bind(by)
            .bind(now - DAY)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(cto) = cto {
        super::service::kpis::keep_in(&mut tx, &cto).await?;
        super::service::kpis::refresh(&mut tx, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
