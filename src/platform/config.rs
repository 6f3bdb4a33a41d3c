//! Configuration from the environment, with the defaults the README documents.

use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/northstar.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    pub site_root: String,
    pub site_pkg_dir: String,
    pub output_name: String,
    pub dev: bool,
    /// The address people reach Northstar at (`https://northstar.example.com`), when known:
    /// the origin that state-changing requests must come from, and the base of share links.
    pub site_url: Option<url::Url>,
    /// Adds `Secure` to the session cookie: on by default when the site URL is https.
    pub secure_cookies: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Reverse proxies whose forwarded-for header is believed; from anyone else the TCP peer
    /// address is the client's.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The header those proxies carry the client's address in (lower-case).
    pub client_ip_header: String,
    /// Which addresses health checks (and anything else the server fetches) may reach.
    pub outbound: crate::platform::net::AddressPolicy,
    /// Client addresses that may read `/metrics` without a token.
    pub metrics_allow: Vec<ipnet::IpNet>,
    /// A bearer token that opens `/metrics` from anywhere.
    pub metrics_token: Option<String>,
    /// The base currency all money is kept and shown in.
    pub currency: crate::platform::money::Currency,
    /// How long raw check results are kept; hourly and daily rollups are kept for good.
    pub check_retention_days: i64,
    /// Whether the server runs health checks (off for tools that only serve pages).
    pub run_checks: bool,
    /// The headless Chromium that prints report PDFs; None turns server-side PDFs off (readers
    /// then print from their browser).
    pub chromium: Option<std::path::PathBuf>,
    /// Where alert e-mail goes out; None: no e-mail channels.
    pub smtp: Option<Smtp>,
}

/// An SMTP relay: `smtps://user:pass@host:465` (TLS), `smtp://host:587?tls=required`
/// (STARTTLS) or `smtp://host:25` (plain, for a relay on the same machine), and the sender.
#[derive(Clone, Debug)]
pub struct Smtp {
    pub url: String,
    pub from: lettre::message::Mailbox,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

type Getter<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `get`, so tests can supply an environment of their own.
    pub fn from_lookup(get: Getter<'_>) -> Result<Self, ConfigError> {
        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        check_database_url(&database_url)?;
        let addr_text = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| DEFAULT_ADDR.into());
        let addr = parse_addr(&addr_text).map_err(|message| ConfigError { name: "LEPTOS_SITE_ADDR", message })?;
        let site_url = site_url(get)?;
        let https = site_url.as_ref().is_some_and(|u| u.scheme() == "https");
        let trusted_proxies = networks(get, "NORTHSTAR_TRUSTED_PROXIES")?;
        let client_ip_header = get("NORTHSTAR_CLIENT_IP_HEADER").map(|h| h.trim().to_ascii_lowercase());
        if client_ip_header.is_some() && trusted_proxies.is_empty() {
            return Err(ConfigError {
                name: "NORTHSTAR_CLIENT_IP_HEADER",
                message: "is believed only from the proxies in NORTHSTAR_TRUSTED_PROXIES; set that to your proxy's address".into(),
            });
        }
        let client_ip_header = client_ip_header.unwrap_or_else(|| "x-forwarded-for".into());
        if http::HeaderName::from_bytes(client_ip_header.as_bytes()).is_err() {
            return Err(ConfigError { name: "NORTHSTAR_CLIENT_IP_HEADER", message: format!("{client_ip_header:?} is not a header name") });
        }
        Ok(Config {
            database_url,
            addr,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            site_pkg_dir: get("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".into()),
            output_name: get("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "northstar".into()),
            dev: get("LEPTOS_ENV").is_some_and(|v| v.eq_ignore_ascii_case("dev")),
            site_url,
            secure_cookies: parse_bool(get, "NORTHSTAR_SECURE_COOKIES", https)?,
            session_idle: minutes(get, "NORTHSTAR_SESSION_IDLE_MINUTES", 30)?,
            session_absolute: minutes(get, "NORTHSTAR_SESSION_MAX_MINUTES", 12 * 60)?,
            trusted_proxies,
            client_ip_header,
            outbound: crate::platform::net::AddressPolicy {
                allow_link_local: parse_bool(get, "NORTHSTAR_OUTBOUND_ALLOW_LINK_LOCAL", false)?,
                deny: networks(get, "NORTHSTAR_OUTBOUND_DENY")?,
            },
            metrics_allow: networks(get, "NORTHSTAR_METRICS_ALLOW")?,
            metrics_token: get("NORTHSTAR_METRICS_TOKEN").map(|t| t.trim().to_string()),
            currency: currency(get)?,
            check_retention_days: days(get, "NORTHSTAR_CHECK_RETENTION_DAYS", 14)?,
            run_checks: parse_bool(get, "NORTHSTAR_RUN_CHECKS", true)?,
            chromium: chromium(get)?,
            smtp: smtp(get)?,
        })
    }

    /// The folder holding the database file, where the server keeps its other files too.
    pub fn data_dir(&self) -> std::path::PathBuf {
        let rest = self.database_url.trim_start_matches("sqlite:").trim_start_matches("//");
        let file = std::path::Path::new(rest.split('?').next().unwrap_or_default());
        match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        }
    }

    /// The stylesheet's address, hashed in a release build.
    pub fn stylesheet(&self) -> String {
        crate::platform::bundle::stylesheet(&self.site_root, &self.site_pkg_dir, &self.output_name)
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        // Leptos joins this name to the binary's folder; an absolute path replaces that, so
        // Leptos reads the same file as `bundle`, wherever it was found.
        let hash_file = crate::platform::bundle::hash_file(&self.site_root);
        LeptosOptions::builder()
            .hash_file(std::sync::Arc::<str>::from(hash_file.as_ref().map_or("hash.txt".to_string(), |f| f.display().to_string())))
            .output_name(self.output_name.as_str())
            .site_root(self.site_root.as_str())
            .site_pkg_dir(self.site_pkg_dir.as_str())
            .site_addr(self.addr)
            .env(if self.dev { Env::DEV } else { Env::PROD })
            .hash_files(crate::platform::bundle::hashed(&self.site_root))
            .build()
    }
}

pub fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    text.trim().parse::<SocketAddr>().map_err(|_| {
        format!("{text:?} is not a listen address; use host:port, such as 127.0.0.1:3000 or 0.0.0.0:8080")
    })
}

fn check_database_url(url: &str) -> Result<(), ConfigError> {
    let err = |message: String| ConfigError { name: "DATABASE_URL", message };
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Err(err(format!(
            "{url:?} is not a SQLite URL; use sqlite://path/to/file.db (Northstar stores its data in SQLite)"
        )));
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Err(err("the URL names no database file; use sqlite://path/to/file.db".into()));
    }
    Ok(())
}

/// `NORTHSTAR_SITE_URL`: where people open Northstar, scheme and host (and port) only.
fn site_url(get: Getter<'_>) -> Result<Option<url::Url>, ConfigError> {
    let Some(text) = get("NORTHSTAR_SITE_URL") else { return Ok(None) };
    let err = |message: String| ConfigError { name: "NORTHSTAR_SITE_URL", message };
    let url = url::Url::parse(text.trim()).map_err(|e| err(format!("{text:?} is not a URL ({e}); use e.g. https://northstar.example.com")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(err(format!("{text:?} must be an http:// or https:// address with a host")));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(err(format!("{text:?} must be the site's root, without a path: Northstar is served at /")));
    }
    Ok(Some(url))
}

/// A list of addresses or networks (`10.0.0.0/8, 127.0.0.1`).
fn networks(get: Getter<'_>, name: &'static str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    match get(name) {
        None => Ok(Vec::new()),
        Some(text) => crate::platform::net::parse_networks(&text).map_err(|message| ConfigError { name, message }),
    }
}

/// `NORTHSTAR_CHROMIUM`: a path, `off`, or unset to look for Chromium on the PATH.
fn chromium(get: Getter<'_>) -> Result<Option<std::path::PathBuf>, ConfigError> {
    match get("NORTHSTAR_CHROMIUM").map(|v| v.trim().to_string()) {
        Some(v) if v.eq_ignore_ascii_case("off") => Ok(None),
        Some(v) => {
            let path = std::path::PathBuf::from(&v);
            if path.is_file() {
                Ok(Some(path))
            } else {
                Err(ConfigError { name: "NORTHSTAR_CHROMIUM", message: format!("{v:?} is not a file; give the path of a Chromium binary, or \"off\"") })
            }
        }
        None => {
            let path = std::env::var_os("PATH").unwrap_or_default();
            Ok(std::env::split_paths(&path)
                .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].map(|n| dir.join(n)))
                .find(|p| p.is_file()))
        }
    }
}

fn smtp(get: Getter<'_>) -> Result<Option<Smtp>, ConfigError> {
    let Some(url) = get("NORTHSTAR_SMTP_URL") else { return Ok(None) };
    let url = url.trim().to_string();
    if let Err(e) = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url) {
        return Err(ConfigError { name: "NORTHSTAR_SMTP_URL", message: format!("is not an SMTP URL such as smtps://user:password@smtp.example.com: {e}") });
    }
    let from = get("NORTHSTAR_SMTP_FROM").ok_or(ConfigError { name: "NORTHSTAR_SMTP_FROM", message: "is needed with NORTHSTAR_SMTP_URL: the address alerts are sent from, such as Northstar <northstar@example.com>".into() })?;
    let from = from.trim().parse().map_err(|e| ConfigError { name: "NORTHSTAR_SMTP_FROM", message: format!("{from:?} is not an e-mail address: {e}") })?;
    Ok(Some(Smtp { url, from }))
}

fn currency(get: Getter<'_>) -> Result<crate::platform::money::Currency, ConfigError> {
    let Some(code) = get("NORTHSTAR_CURRENCY") else { return Ok(crate::platform::money::Currency::usd()) };
    crate::platform::money::Currency::by_code(&code).ok_or_else(|| {
        let known: Vec<&str> = crate::platform::money::CURRENCIES.iter().map(|c| c.code).collect();
        ConfigError { name: "NORTHSTAR_CURRENCY", message: format!("{code:?} is not a supported currency; use one of {}", known.join(", ")) }
    })
}

fn parse_bool(get: Getter<'_>, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match get(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(true),
        Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(false),
        Some(v) => Err(ConfigError { name, message: format!("{v:?} is not true or false") }),
    }
}

fn days(get: Getter<'_>, name: &'static str, default: i64) -> Result<i64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => Ok(n),
            _ => Err(ConfigError { name, message: format!("{v:?} is not a whole number of days between 1 and 3650") }),
        },
    }
}

fn minutes(get: Getter<'_>, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
    let n = match get(name) {
        None => default,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if (1..=60 * 24 * 90).contains(&n) => n,
            _ => {
                return Err(ConfigError {
                    name,
                    message: format!("{v:?} is not a whole number of minutes between 1 and 129600"),
                })
            }
        },
    };
    Ok(Duration::from_secs(n * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(&move |k| map.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(c.session_idle, Duration::from_secs(30 * 60));
        assert_eq!(c.session_absolute, Duration::from_secs(12 * 3600));
        assert!(!c.secure_cookies);
        assert!(!c.dev);
        assert_eq!(c.currency.code, "USD");
        assert_eq!(with(&[("NORTHSTAR_CURRENCY", "eur")]).unwrap().currency.code, "EUR");
    }

    #[test]
    fn malformed_values_name_the_variable() {
        let cases: &[(&str, &str)] = &[
            ("DATABASE_URL", "postgres://db/northstar"),
            ("DATABASE_URL", "sqlite://"),
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:99999"),
            ("NORTHSTAR_SECURE_COOKIES", "maybe"),
            ("NORTHSTAR_SESSION_IDLE_MINUTES", "0"),
            ("NORTHSTAR_SESSION_MAX_MINUTES", "ten"),
            ("NORTHSTAR_CURRENCY", "DOGE"),
            ("NORTHSTAR_SITE_URL", "northstar.example.com"),
            ("NORTHSTAR_SITE_URL", "https://northstar.example.com/app"),
            ("NORTHSTAR_SITE_URL", "ftp://northstar.example.com"),
            ("NORTHSTAR_TRUSTED_PROXIES", "proxy.internal"),
            ("NORTHSTAR_CLIENT_IP_HEADER", "x-real-ip"),
            ("NORTHSTAR_OUTBOUND_DENY", "10.0.0.0/40"),
            ("NORTHSTAR_OUTBOUND_ALLOW_LINK_LOCAL", "sometimes"),
            ("NORTHSTAR_METRICS_ALLOW", "everyone"),
            ("NORTHSTAR_SMTP_URL", "mail.example.com"),
        ];
        for (name, value) in cases {
            let err = with(&[(name, value)]).unwrap_err();
            assert_eq!(err.name, *name, "{value:?}");
            assert!(err.to_string().starts_with(name), "{err}");
        }
    }

    #[test]
    fn smtp_needs_a_sender_that_is_an_address() {
        assert!(with(&[]).unwrap().smtp.is_none());
        let bad = with(&[("NORTHSTAR_SMTP_URL", "smtp://localhost:25"), ("NORTHSTAR_SMTP_FROM", "northstar")]).unwrap_err();
        assert_eq!(bad.name, "NORTHSTAR_SMTP_FROM");
        let c = with(&[("NORTHSTAR_SMTP_URL", "smtps://user:pw@smtp.example.com"), ("NORTHSTAR_SMTP_FROM", "Northstar <ns@example.com>")]).unwrap();
        assert_eq!(c.smtp.unwrap().from.email.to_string(), "ns@example.com");
    }

    #[test]
    fn an_https_site_url_turns_secure_cookies_on() {
        let c = with(&[("NORTHSTAR_SITE_URL", "https://northstar.example.com")]).unwrap();
        assert!(c.secure_cookies);
        assert_eq!(c.site_url.unwrap().as_str(), "https://northstar.example.com/");
        let c = with(&[("NORTHSTAR_SITE_URL", "https://northstar.example.com"), ("NORTHSTAR_SECURE_COOKIES", "false")]).unwrap();
        assert!(!c.secure_cookies, "an explicit setting wins");
        assert!(!with(&[("NORTHSTAR_SITE_URL", "http://localhost:3000")]).unwrap().secure_cookies);
    }

    #[test]
    fn proxies_and_the_outbound_policy() {
        let c = with(&[("NORTHSTAR_TRUSTED_PROXIES", "10.0.0.0/8, ::1"), ("NORTHSTAR_CLIENT_IP_HEADER", "X-Real-IP")]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(c.client_ip_header, "x-real-ip");
        let c = with(&[]).unwrap();
        assert_eq!(c.client_ip_header, "x-forwarded-for");
        assert!(c.trusted_proxies.is_empty());
        assert!(!c.outbound.allow_link_local);
        assert!(c.metrics_allow.is_empty() && c.metrics_token.is_none(), "/metrics is closed until configured");
    }

    #[test]
    fn the_data_folder_is_the_databases() {
        for (url, dir) in [("sqlite://data/x.db", "data"), ("sqlite:x.db", "."), ("sqlite:///var/lib/northstar/db.sqlite?mode=rwc", "/var/lib/northstar")] {
            assert_eq!(with(&[("DATABASE_URL", url)]).unwrap().data_dir(), std::path::PathBuf::from(dir), "{url}");
        }
    }

    #[test]
    fn accepted_database_urls() {
        for url in ["sqlite://data/x.db", "sqlite:x.db", "sqlite:///tmp/x.db?mode=rwc"] {
            assert!(with(&[("DATABASE_URL", url)]).is_ok(), "{url}");
        }
    }
}
