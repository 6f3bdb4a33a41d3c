use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn catalog() -> Catalog {
    Catalog {
        teams: vec![(1, "Platform team".into(), 10), (2, "Site reliability".into(), 20)],
        initiatives: vec![
            InitiativeSpan { id: 7, title: "Payments migration".into(), department_id: 10, starts: d("2026-03-15"), target: d("2026-06-10"), proposed: false },
            InitiativeSpan { id: 8, title: "Chatbot".into(), department_id: 10, starts: d("2026-01-01"), target: d("2026-12-31"), proposed: true },
            InitiativeSpan { id: 9, title: "SOC 2".into(), department_id: 20, starts: d("2026-01-01"), target: d("2026-12-31"), proposed: false },
        ],
        categories: vec![(3, "Keeping the lights on".into()), (4, "Technical debt".into())],
        closed_through: Some(202601),
        one_department: false,
    }
}

fn errors(p: &Parsed) -> Vec<(u64, &str)> {
    p.errors.iter().map(|e| (e.line, e.column.as_str())).collect()
}

#[test]
fn a_file_of_shares_reads_into_team_months() {
    let file = "\u{feff}Team,Month,Work,Percent\nplatform team,2026-03,Payments migration,60\nPlatform team,2026-03,keeping the lights on,40 %\n\nSite reliability,202604,SOC 2,100\n";
    let p = parse(file.as_bytes(), &catalog());
    assert_eq!(p.error_count, 0, "{:?}", p.errors);
    assert_eq!(p.lines, 3);
    assert_eq!(p.months.len(), 2);
    assert_eq!(
        p.months[&(1, 202603)],
        vec![Share { initiative_id: Some(7), category_id: None, pct: 60 }, Share { initiative_id: None, category_id: Some(3), pct: 40 }]
    );
    assert_eq!(p.months[&(2, 202604)], vec![Share { initiative_id: Some(9), category_id: None, pct: 100 }]);
    assert_eq!(p.sample[0], vec!["2", "platform team", "2026-03", "Payments migration", "60"]);
}

#[test]
fn each_wrong_field_is_refused_at_its_line_and_nothing_is_kept() {
    let file = "team,month,work,percent\n\
                Platform team,2026-03,Keeping the lights on,100\n\
                Data team,2026-03,Technical debt,100\n\
                Platform team,March,Technical debt,100\n\
                Platform team,2026-01,Technical debt,100\n\
                Platform team,2026-07,Payments migration,100\n\
                Platform team,2026-05,Chatbot,100\n\
                Platform team,2026-05,SOC 2,100\n\
                Platform team,2026-08,Technical debt,ten\n\
                Platform team,2026-09,Technical debt,0\n";
    let p = parse(file.as_bytes(), &catalog());
    assert!(p.months.is_empty());
    assert_eq!(errors(&p), vec![(3, "team"), (4, "month"), (5, "month"), (6, "work"), (7, "work"), (8, "work"), (9, "percent"), (10, "percent")]);
    assert!(p.errors[0].message.contains("no team named “Data team”"), "{}", p.errors[0].message);
    assert!(p.errors[2].message.contains("closed through Jan 2026"), "{}", p.errors[2].message);
    // After its target date; a proposed one; another department's.
    assert!(p.errors[3].message.contains("running in Jul 2026"), "{}", p.errors[3].message);
}

#[test]
fn a_team_month_must_add_up_to_a_hundred_with_each_work_once() {
    let file = "team,month,work,percent\n\
                Platform team,2026-04,Payments migration,60\n\
                Platform team,2026-04,Technical debt,30\n\
                Site reliability,2026-04,Technical debt,50\n\
                Site reliability,2026-04,technical debt,50\n";
    let p = parse(file.as_bytes(), &catalog());
    assert_eq!(errors(&p), vec![(2, "percent"), (4, "percent"), (5, "work")]);
    assert!(p.errors[0].message.contains("Platform team in Apr 2026 add up to 90 %"), "{}", p.errors[0].message);
}

#[test]
fn a_head_is_told_the_team_is_not_in_their_department() {
    let mut c = catalog();
    c.teams.retain(|t| t.2 == 20);
    c.one_department = true;
    let p = parse(b"team,month,work,percent\nPlatform team,2026-04,Technical debt,100\n", &c);
    assert_eq!(p.errors[0].message, "There is no team named “Platform team” in your department.");
}

#[test]
fn bad_files_are_refused_at_the_header() {
    let p = parse(b"team,month,percent\nPlatform team,2026-04,100\n", &catalog());
    assert_eq!(errors(&p), vec![(1, "work")]);
    let p = parse(b"", &catalog());
    assert_eq!(errors(&p), vec![(1, "")]);
    let p = parse(b"team,month,work,percent\n", &catalog());
    assert_eq!(p.errors[0].message, "The file has a header but no shares.");
    let p = parse(b"team,month,work,percent\nPlatform team,2026-04,\"Technical debt,100\n", &catalog());
    assert!(p.error_count > 0 && p.months.is_empty());
}
