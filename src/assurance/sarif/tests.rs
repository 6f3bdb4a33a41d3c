use super::*;

const TRIVY: &str = include_str!("../../../tests/fixtures/sarif/trivy.sarif");
const SEMGREP: &str = include_str!("../../../tests/fixtures/sarif/semgrep.sarif");
const GRYPE: &str = include_str!("../../../tests/fixtures/sarif/grype-no-location.sarif");

fn summary(found: &[ScanFinding]) -> Vec<(&str, &str, Severity, &str)> {
    found.iter().map(|f| (f.tool.as_str(), f.rule.as_str(), f.severity, f.location.as_str())).collect()
}

#[test]
fn trivy_findings_take_their_severity_from_the_cvss_score() {
    let found = parse(TRIVY.as_bytes()).unwrap().findings;
    assert_eq!(
        summary(&found),
        [
            ("Trivy", "CVE-2024-6119", Severity::High, "registry.example.internal/payments-api:1"),
            ("Trivy", "CVE-2023-45853", Severity::Critical, "registry.example.internal/payments-api:1"),
            ("Trivy", "CVE-2024-2511", Severity::Medium, "registry.example.internal/payments-api:1"),
        ]
    );
    assert_eq!(found[0].title, "openssl: Possible denial of service in X.509 name checks");
    assert_eq!(found[0].help.as_deref(), Some("https://avd.aquasec.com/nvd/cve-2024-6119"));
    assert!(found[0].message.starts_with("Package: libssl3\nInstalled Version: 3.0.13-1~deb12u1"));
    // Three findings on one image line: told apart by their rule.
    let keys: HashSet<&str> = found.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys.len(), 3);
}

#[test]
fn semgrep_findings_take_their_severity_from_the_level_and_keep_their_fingerprint() {
    let found = parse(SEMGREP.as_bytes()).unwrap().findings;
    assert_eq!(
        summary(&found),
        [
            ("Semgrep OSS", "python.lang.security.audit.subprocess-shell-true.subprocess-shell-true", Severity::High, "app/billing/export.py:48"),
            ("Semgrep OSS", "python.lang.security.hardcoded-secret", Severity::Medium, "app/auth/tokens.py:12"),
            ("Semgrep OSS", "html.security.audit.unescaped-template-variable", Severity::Low, "app/web/templates/invoice.html:30"),
        ]
    );
    // "Semgrep Finding: <id>" says nothing: the full description, or the id, names it.
    assert_eq!(found[0].title, "Found 'subprocess' function with 'shell=True'.");
    assert_eq!(found[1].title, "python.lang.security.hardcoded-secret");
    // The fingerprint, not the line, makes it the same finding when the code above it moves.
    let moved = SEMGREP.replace("\"startLine\": 48", "\"startLine\": 52");
    let again = parse(moved.as_bytes()).unwrap().findings;
    assert_eq!(again[0].location, "app/billing/export.py:52");
    assert_eq!(again[0].key, found[0].key);
}

#[test]
fn a_result_with_no_location_is_about_the_whole_system() {
    let found = parse(GRYPE.as_bytes()).unwrap().findings;
    assert_eq!(summary(&found), [("Grype", "CVE-2024-45337-golang.org/x/crypto", Severity::Critical, ""), ("Grype", "GHSA-9c47-m6qq-7p4h-json5", Severity::Low, "npm:json5@2.2.1")]);
    // Found by its index alone; a score written as a number reads too.
    assert_eq!(found[1].title, "GHSA-9c47-m6qq-7p4h low vulnerability for json5 package");
    assert_eq!(found[0].key, "CVE-2024-45337-golang.org/x/crypto\u{1f}");
    assert_eq!(found[0].help, Some("https://github.com/anchore/grype".into()));
}

#[test]
fn without_fingerprints_the_rule_file_and_line_make_a_finding_and_repeats_count_once() {
    let log = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL","rules":[{"id":"js/xss","properties":{"security-severity":"6.1"}}]}},"results":[
        {"ruleId":"js/xss","message":{"text":"a"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"web/a.js"},"region":{"startLine":3}}}]},
        {"ruleId":"js/xss","message":{"text":"a"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"web/a.js"},"region":{"startLine":3}}}]},
        {"ruleId":"js/xss","message":{"text":"b"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"web/a.js"},"region":{"startLine":9}}}]},
        {"ruleId":"js/xss","level":"note","message":{"text":"c"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"web/b.js"}}}]}
    ]}]}"#;
    let found = parse(log.as_bytes()).unwrap().findings;
    let at: Vec<&str> = found.iter().map(|f| f.location.as_str()).collect();
    assert_eq!(at, ["web/a.js:3", "web/a.js:9", "web/b.js"]);
    // The rule's score outweighs the result's level.
    assert!(found.iter().all(|f| f.severity == Severity::Medium));
    // Two runs of two tools may report the same rule and place: two findings.
    let two = r#"{"version":"2.1.0","runs":[
        {"tool":{"driver":{"name":"A"}},"results":[{"ruleId":"r1","message":{"text":"x"}}]},
        {"tool":{"driver":{"name":"B"}},"results":[{"ruleId":"r1","message":{"text":"x"}}]}]}"#;
    let found = parse(two.as_bytes()).unwrap().findings;
    assert_eq!(found.iter().map(|f| f.tool.as_str()).collect::<Vec<_>>(), ["A", "B"]);
    // SARIF's default level is warning.
    assert_eq!(found[0].severity, Severity::Medium);
}

#[test]
fn what_is_wrong_is_said_where_it_is() {
    let broken = "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\"tool\": }\n  ]\n}";
    let problems = parse(broken.as_bytes()).unwrap_err();
    assert_eq!(problems[0].at, "line 4, column 14");
    assert!(problems[0].message.starts_with("This is not a SARIF log: expected value"), "{:?}", problems[0]);
    let old = r#"{"version":"1.0.0","runs":[]}"#;
    assert_eq!(parse(old.as_bytes()).unwrap_err()[0].message, "SARIF 1.0.0 is not read; export SARIF 2.1.0.");
    let bad = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"X","rules":[{"id":"r1"}]}},"results":[
        {"ruleId":"r1","message":{"text":"fine"}},
        {"message":{"text":"no rule"}},
        {"ruleIndex":4,"message":{"text":"out of range"}},
        {"ruleId":"r1","level":"fatal","message":{"text":"bad level"}}
    ]}]}"#;
    let problems = parse(bad.as_bytes()).unwrap_err();
    let at: Vec<(&str, &str)> = problems.iter().map(|p| (p.at.as_str(), p.message.as_str())).collect();
    assert_eq!(
        at,
        [
            ("runs[0].results[1]", "It names no rule (ruleId, rule.id or ruleIndex)."),
            ("runs[0].results[2]", "It refers to rule 4, and the scanner lists 1."),
            ("runs[0].results[3]", "Its level “fatal” is not one of none, note, warning, error."),
        ]
    );
    let nameless = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":" "}},"results":[]}]}"#;
    assert_eq!(parse(nameless.as_bytes()).unwrap_err()[0].at, "runs[0].tool.driver.name");
    // A run with no results (null, as some scanners write) is an empty scan, not an error.
    let empty = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Trivy"}},"results":null}]}"#;
    assert_eq!(parse(empty.as_bytes()).unwrap(), Scan { tools: vec!["Trivy".into()], findings: vec![] });
}

#[test]
fn codeql_rules_are_found_in_the_extension_a_result_names() {
    let found = parse(include_str!("../../../tests/fixtures/sarif/codeql.sarif").as_bytes()).unwrap().findings;
    assert_eq!(
        summary(&found),
        [("CodeQL", "js/sql-injection", Severity::High, "server/routes/orders.js:27"), ("CodeQL", "js/missing-rate-limiting", Severity::High, "server/app.js:41")]
    );
    assert_eq!(found[0].title, "Database query built from user-controlled sources");
    // The line hash, the first of its partial fingerprints by name.
    assert_eq!(found[0].key, "js/sql-injection\u{1f}primaryLocationLineHash=d1f8a7e4c0b2e913:1");
    // An extension that is not there is said so; an index past the rules with the rule's id
    // named is found by its id.
    let missing = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"rule":{"index":0,"toolComponent":{"index":2}},"message":{"text":"x"}}]}]}"#;
    assert_eq!(parse(missing.as_bytes()).unwrap_err()[0].message, "It refers to tool extension 2, and the scanner lists 0.");
    let by_id = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"X","rules":[{"id":"r1","shortDescription":{"text":"Rule one"}}]}},"results":[{"ruleId":"r1","ruleIndex":7,"message":{"text":"x"}}]}]}"#;
    assert_eq!(parse(by_id.as_bytes()).unwrap().findings[0].title, "Rule one");
}

#[test]
fn a_scanner_that_keeps_history_says_when_it_first_saw_a_result() {
    let log = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[
        {"ruleId":"js/xss","message":{"text":"a"},"provenance":{"firstDetectionTimeUtc":"2026-11-01T09:30:00Z"}},
        {"ruleId":"js/sqli","message":{"text":"b"}},
        {"ruleId":"js/ssrf","message":{"text":"c"},"provenance":{"firstDetectionTimeUtc":"last week"}}
    ]}]}"#;
    let problems = parse(log.as_bytes()).unwrap_err();
    assert_eq!((problems.len(), problems[0].at.as_str()), (1, "runs[0].results[2]"));
    assert!(problems[0].message.contains("“last week” is not a date and time"));
    let fine = log.replace(r#","provenance":{"firstDetectionTimeUtc":"last week"}"#, "");
    let found = parse(fine.as_bytes()).unwrap().findings;
    assert_eq!(found[0].first_seen, Some(chrono::DateTime::parse_from_rfc3339("2026-11-01T09:30:00Z").unwrap().timestamp()));
    assert_eq!(found[1].first_seen, None, "first seen when imported");
}
