//! The `northstar` command: serve (the default), migrate, seed-demo, create-user.

use crate::platform::config::{parse_addr, Config};
use super::seed;
use crate::platform::db;
use crate::access::Role;
use crate::admin::{model, service};
use crate::auth::repo;
use crate::auth::ratelimit::Limits;
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead, IsTerminal};
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "northstar",
    version,
    about = "Northstar: a self-hosted dashboard for a CTO",
    after_help = "Configuration comes from the environment: DATABASE_URL, LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT and the NORTHSTAR_* variables (see README.md)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default when no command is given).
    Serve(ServeArgs),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Add the demo departments and accounts where missing, and print their logins.
    SeedDemo,
    /// Create an account. The password is read from standard input.
    CreateUser(CreateUserArgs),
    /// Write a consistent copy of the database to a new file, safe while the server runs.
    Backup(BackupArgs),
    /// Put a backup in place as the database (DATABASE_URL). Stop the server first.
    Restore(RestoreArgs),
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The backup file written by `northstar backup`.
    pub from: std::path::PathBuf,
    /// Replace a database that already exists (it is lost).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    pub to: std::path::PathBuf,
}

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// Address to listen on, such as 127.0.0.1:3000 (default: LEPTOS_SITE_ADDR, or 127.0.0.1:3000).
    #[arg(long)]
    pub addr: Option<String>,
    /// Seed the demo data first (idempotent) and print the demo logins.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Args, Debug)]
pub struct CreateUserArgs {
    /// Email address used to sign in.
    #[arg(long)]
    pub email: String,
    /// Full name shown in the app.
    #[arg(long)]
    pub name: String,
    /// What the account may see and do.
    #[arg(long, value_parser = ["cto", "department_head", "investor"])]
    pub role: String,
    /// The department a department head is responsible for (required for that role).
    #[arg(long)]
    pub department: Option<String>,
}

pub async fn run(cli: Cli) -> Result<(), String> {
    let mut config = Config::from_env().map_err(|e| format!("configuration: {e}"))?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => {
            if let Some(addr) = &args.addr {
                config.addr = parse_addr(addr).map_err(|m| format!("--addr: {m}"))?;
            }
            serve(config, args.demo).await
        }
        Command::Migrate => {
            let pool = open(&config).await?;
            println!("The database at {} is up to date.", config.database_url);
            pool.close().await;
            Ok(())
        }
        Command::SeedDemo => {
            let pool = open(&config).await?;
            seed::seed_demo(&pool, config.currency).await.map_err(|e| format!("seeding the demo data failed: {e}"))?;
            print!("Demo data is in place in {}.\n{}", config.database_url, seed::demo_logins_text());
            pool.close().await;
            Ok(())
        }
        Command::CreateUser(args) => create_user(config, args).await,
        Command::Backup(args) => backup(config, args).await,
        Command::Restore(args) => super::restore::restore(&config, &args.from, args.force).await,
    }
}

async fn open(config: &Config) -> Result<sqlx::SqlitePool, String> {
    let pool = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db::migrate(&pool).await.map_err(|e| e.to_string())?;
    Ok(pool)
}

async fn serve(config: Config, demo: bool) -> Result<(), String> {
    let started = Instant::now();
    let pool = open(&config).await?;
    if demo {
        seed::seed_demo(&pool, config.currency).await.map_err(|e| format!("seeding the demo data failed: {e}"))?;
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            " (another program uses this port; set LEPTOS_SITE_ADDR or pass --addr to choose another)"
        } else {
            ""
        };
        format!("cannot listen on {}: {e}{hint}", config.addr)
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if demo {
        crate::infra::demo::point_at(&pool, addr.port()).await.map_err(|e| format!("pointing the demo checks at this server failed: {e}"))?;
    }
    let shown = if addr.ip().is_unspecified() { format!("http://localhost:{}", addr.port()) } else { format!("http://{addr}") };
    let site_root = config.site_root.clone();
    let cookie_note = match (&config.site_url, config.secure_cookies) {
        (_, true) => "Session cookies are marked Secure: they travel over HTTPS only.".to_string(),
        (Some(url), false) if url.scheme() == "https" => format!("warning: {url} is https, but NORTHSTAR_SECURE_COOKIES=false: session cookies may travel unencrypted."),
        _ => "Session cookies are not marked Secure; set NORTHSTAR_SITE_URL=https://... when Northstar is served over HTTPS.".to_string(),
    };
    let outbound = crate::platform::net::Outbound::system(config.outbound.clone());
    let state = super::assemble(config, pool, Limits::default(), outbound);
    // Files an earlier run staged for import and never stored: it may have been killed.
    state.part::<crate::kpi::import::Imports>().clear_leftovers();
    println!("Northstar is running at {shown} (ready in {} ms)", started.elapsed().as_millis());
    println!("{cookie_note}");
    if !std::path::Path::new(&site_root).join("pkg").exists() {
        eprintln!("warning: no site assets under {site_root}/pkg; build them with `cargo leptos build --release` or set LEPTOS_SITE_ROOT");
    }
    if demo {
        print!("{}", seed::demo_logins_text());
    }
    super::serve(state, listener).await.map_err(|e| format!("server error: {e}"))
}

async fn create_user(config: Config, args: CreateUserArgs) -> Result<(), String> {
    let role = Role::parse(&args.role).ok_or("--role must be cto, department_head or investor")?;
    if role != Role::DepartmentHead && args.department.is_some() {
        return Err("--department applies only to --role department_head".into());
    }
    let password = read_password()?;
    let pool = open(&config).await?;
    let department = match (&args.department, role) {
        (Some(name), _) => {
            let id = repo::department_id_by_name(&pool, name).await.map_err(|e| e.to_string())?;
            match id {
                Some(id) => id.to_string(),
                None => return Err(format!("--department: there is no department named {name:?}; {}", existing(&pool).await)),
            }
        }
        (None, Role::DepartmentHead) => return Err("--department is required for a department head".into()),
        (None, _) => String::new(),
    };
    let account = model::parse_new_account(&args.email, &args.name, role.as_str(), &department, &password)
        .map_err(|e| describe_fields(&e))?;
    let user = service::create_account(&pool, None, account).await.map_err(|e| describe_fields(&e))?;
    println!("Created {} <{}> as {}.", user.name, user.email, user.role.label());
    pool.close().await;
    Ok(())
}

async fn backup(config: Config, args: BackupArgs) -> Result<(), String> {
    if args.to.exists() {
        return Err(format!("{} already exists; choose a new file name", args.to.display()));
    }
    // Recorded with its full path, for the restore test run from the server to find.
    let to = std::path::absolute(&args.to).map_err(|e| format!("{}: {e}", args.to.display()))?;
    let pool = open(&config).await?;
    // The run is recorded, failed or not: the backup controls' evidence comes from it.
    let written = crate::assurance::service::backups::back_up(&pool, &to, &crate::platform::audit::Actor::command_line()).await;
    pool.close().await;
    let size = written?;
    println!("Backed up {} to {} ({}).", config.database_url, to.display(), crate::ui::bytes(size));
    Ok(())
}

async fn existing(pool: &sqlx::SqlitePool) -> String {
    match service::departments(pool, None).await {
        Ok(list) if !list.is_empty() => {
            format!("existing departments: {}", list.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", "))
        }
        _ => "there are no departments yet; create one in Admin > Departments".into(),
    }
}

fn describe_fields(e: &crate::platform::error::AppError) -> String {
    match e {
        crate::platform::error::AppError::Invalid { fields, .. } if !fields.is_empty() => fields
            .iter()
            .map(|f| format!("--{}: {}", f.field.replace('_', "-"), f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// From a terminal the password is typed twice without echo; from a pipe, the first line is it.
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Repeat password: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("reading the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err("no password on standard input (pipe it in, e.g. `echo \"$PASSWORD\" | northstar create-user ...`)".into());
    }
    Ok(password)
}
