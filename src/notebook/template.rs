//! The "investigate a host" template: a new notebook laid out as the reference investigation goes
//! (names from everywhere, latency per continent, paths, routing, HTTP from many places), with every
//! measurement cell already filled in for the target. It only builds cells: nothing is sent until the
//! author presses Run in a cell, because every run spends the author's Globalping allowance and tells
//! the platforms what is being investigated.

use std::net::IpAddr;

use super::dns::DnsCell;
use super::measure::{MeasureCell, MeasureForm};
use super::routing::RoutingCell;
use super::{Cell, CellBody, CellId, Notebook};
use crate::globalping::request::TestType;
use crate::model::host::host_name_problem;

/// Probes per continent for the template's traceroutes: a traceroute is one test per probe like a
/// ping, but its table grows with every hop, so fewer probes keep the cell readable (18 in all).
const TRACEROUTES_PER_CONTINENT: &str = "3 per continent";

/// A notebook investigating `target` (a host name or an IP address), or why `target` is not one.
///
/// The cells, in order: a note to write the story in; DNS from everywhere (for a name); a Globalping
/// ping and traceroute from every continent; routing context (the address itself, or empty for a name:
/// the cell then offers the addresses the DNS cell found); a Globalping HTTP check; and a note for the
/// conclusion. With the default places that is at most 30 + 18 + 30 = 78 Globalping tests, inside
/// the anonymous 250 an hour.
pub fn investigation(target: &str) -> Result<Notebook, String> {
    let target = target.trim().trim_end_matches('.');
    if target.is_empty() {
        return Err(
            "Say what to investigate: a host name (telegram.org) or an address.".to_string(),
        );
    }
    let address = target.parse::<IpAddr>().ok();
    if address.is_none()
        && let Some(problem) = host_name_problem(target, false)
    {
        return Err(format!(
            "\"{target}\" {problem}: give a host name such as telegram.org or an IP address."
        ));
    }
    let mut bodies = vec![CellBody::Markdown {
        source: format!(
            "# What is happening to {target}?\n\n\
             Say what was seen, when (in UTC) and by whom. Then press **Run** in each cell below, \
             top to bottom; each keeps what it received, so the evidence stays with the story."
        ),
    }];
    if address.is_none() {
        bodies.push(CellBody::Markdown {
            source: "## Does everyone get the same addresses?\n\nThe same name asked through \
                     public resolvers on behalf of clients on every continent."
                .to_string(),
        });
        let mut dns = DnsCell::default();
        dns.request.name = target.to_string();
        bodies.push(CellBody::Dns(dns));
    }
    bodies.push(CellBody::Markdown {
        source: "## How far away is it from each continent?\n\nRound-trip times from five probes \
                 on each continent. One site shows as times that grow with the distance from it; \
                 a local point of presence shows as a low time far from the others."
            .to_string(),
    });
    bodies.push(measure(target, TestType::Ping, None));
    bodies.push(measure(
        target,
        TestType::Traceroute,
        Some(TRACEROUTES_PER_CONTINENT),
    ));
    bodies.push(CellBody::Markdown {
        source: match address {
            Some(_) => "## Who announces the address, and through whom?".to_string(),
            None => "## Who announces the addresses, and through whom?\n\nOnce the DNS cell \
                     has run, the routing cell offers the addresses it found; or paste the last \
                     hop of the traceroutes."
                .to_string(),
        },
    });
    let mut routing = RoutingCell::default();
    if let Some(address) = address {
        routing.request.resource = address.to_string();
    }
    bodies.push(CellBody::Routing(routing));
    bodies.push(CellBody::Markdown {
        source: "## Does the service answer?\n\nAn HTTP request from five places on each \
                 continent."
            .to_string(),
    });
    bodies.push(measure(target, TestType::Http, None));
    bodies.push(CellBody::Markdown {
        source: "## What the evidence says\n\nWrite the conclusion here, then press **Share**: \
                 the link carries the notebook and everything it measured."
            .to_string(),
    });
    Ok(Notebook {
        title: format!("Investigating {target}"),
        cells: bodies
            .into_iter()
            .zip(1..)
            .map(|(body, id)| Cell {
                id: CellId(id),
                body,
            })
            .collect(),
    })
}

fn measure(target: &str, test: TestType, locations: Option<&str>) -> CellBody {
    let mut form = MeasureForm {
        test,
        target: target.to_string(),
        ..MeasureForm::default()
    };
    if let Some(locations) = locations {
        form.locations = locations.to_string();
    }
    CellBody::Measure(MeasureCell {
        form,
        ..MeasureCell::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::measure::PER_CONTINENT_TEXT;

    fn kinds(notebook: &Notebook) -> Vec<&'static str> {
        notebook
            .cells
            .iter()
            .map(|cell| match &cell.body {
                CellBody::Markdown { .. } => "note",
                CellBody::Atlas(_) => "atlas",
                CellBody::Observations(_) => "table",
                CellBody::Dns(_) => "dns",
                CellBody::Routing(_) => "routing",
                CellBody::Measure(measure) => match measure.form.test {
                    TestType::Ping => "ping",
                    TestType::Traceroute => "traceroute",
                    TestType::Mtr => "mtr",
                    TestType::Dns => "dns-measure",
                    TestType::Http => "http",
                },
            })
            .collect()
    }

    #[test]
    fn a_host_name_gets_every_step_of_the_reference_investigation_filled_in() {
        let notebook = investigation(" telegram.org. ").unwrap();
        assert_eq!(notebook.title, "Investigating telegram.org");
        assert_eq!(
            kinds(&notebook),
            [
                "note",
                "note",
                "dns",
                "note",
                "ping",
                "traceroute",
                "note",
                "routing",
                "note",
                "http",
                "note"
            ]
        );
        for cell in &notebook.cells {
            match &cell.body {
                CellBody::Dns(dns) => {
                    assert_eq!(dns.request.name, "telegram.org");
                    assert!(dns.snapshot.is_none());
                }
                CellBody::Measure(measure) => {
                    assert_eq!(measure.form.target, "telegram.org");
                    assert!(measure.runs.is_empty(), "nothing is measured yet");
                    // Every form is valid as it stands: one click on Run sends it.
                    measure.form.globalping_request(false).unwrap();
                }
                CellBody::Routing(routing) => assert_eq!(routing.request.resource, ""),
                _ => {}
            }
        }
        // Unique ids, so later cells are added after them.
        let ids: std::collections::BTreeSet<u64> =
            notebook.cells.iter().map(|cell| cell.id.0).collect();
        assert_eq!(ids.len(), notebook.cells.len());
    }

    #[test]
    fn the_template_stays_inside_the_anonymous_globalping_hour() {
        let notebook = investigation("telegram.org").unwrap();
        let tests: u32 = notebook
            .cells
            .iter()
            .filter_map(|cell| match &cell.body {
                CellBody::Measure(measure) => Some(
                    measure
                        .form
                        .globalping_request(false)
                        .unwrap()
                        .probes_requested(),
                ),
                _ => None,
            })
            .sum();
        assert_eq!(tests, 30 + 18 + 30);
        assert!(tests <= 250);
        let CellBody::Measure(ping) = &notebook.cells[4].body else {
            panic!("the ping cell");
        };
        assert_eq!(ping.form.locations, PER_CONTINENT_TEXT);
    }

    #[test]
    fn an_address_skips_the_dns_step_and_fills_the_routing_cell() {
        let notebook = investigation("149.154.167.99").unwrap();
        assert!(!kinds(&notebook).contains(&"dns"));
        let routing = notebook.cells.iter().find_map(|cell| match &cell.body {
            CellBody::Routing(routing) => Some(routing.request.resource.clone()),
            _ => None,
        });
        assert_eq!(routing.as_deref(), Some("149.154.167.99"));
        let v6 = investigation("2001:67c:4e8:f004::9").unwrap();
        assert!(!kinds(&v6).contains(&"dns"));
    }

    #[test]
    fn what_is_not_a_host_is_refused_with_what_to_give() {
        for (text, hint) in [
            ("", "Say what to investigate"),
            ("   ", "Say what to investigate"),
            ("telegram org", "host name such as telegram.org"),
            (
                "<script>alert(1)</script>",
                "host name such as telegram.org",
            ),
            ("https://telegram.org/", "host name such as telegram.org"),
        ] {
            let problem = investigation(text).unwrap_err();
            assert!(problem.contains(hint), "{text:?}: {problem}");
        }
    }
}
