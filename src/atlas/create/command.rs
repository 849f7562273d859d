//! The `ripe-atlas measure …` command lines (RIPE's ripe-atlas-tools) equivalent to a request, for
//! people who create measurements from a terminal or when the browser may not send the request, with
//! every argument quoted for a POSIX shell.
//!
//! This module must not do I/O, and never puts the API key in a command: the tool reads it from its
//! own configuration.
//!
//! Source: ripe-atlas-tools (`ripe/atlas/tools/commands/measure/*.py`) for the options; POSIX XCU
//! §2.2 for the quoting.

use super::request::{AtlasTest, CreateRequest};
use super::selection::ProbeSelector;

impl CreateRequest {
    /// The same measurement as `ripe-atlas measure …` commands (RIPE's ripe-atlas-tools), for people
    /// who create measurements from a terminal or when the browser may not.
    ///
    /// ripe-atlas-tools takes one origin (`--from-area`, `--from-country`, `--from-asn`,
    /// `--from-prefix`, `--from-probes`, `--from-measurement`) per command, so a request with several
    /// probe selections becomes one command per selection, joined by new lines; each creates its own
    /// measurement, for the same total cost. `--from-probes` takes no `--probes` (the tool refuses the
    /// pair and uses every listed probe). With the probes' own resolvers a DNS command has no
    /// `--target`, which is how the tool asks for them. The API key is never included: the tool reads
    /// it from its configuration (`ripe-atlas configure --set authorisation.create=…`).
    ///
    /// Every argument is quoted for a POSIX shell: anything beyond letters, digits and `@%+=:,./_-` is
    /// put in single quotes (a quote inside becomes `'\''`), and a value that starts with `-` is
    /// attached as `--option=value` so the tool's parser cannot take it for an option. A value holding
    /// a new line keeps it inside its quotes, so such a command spans lines but stays one command.
    pub fn ripe_atlas_tools_command(&self) -> String {
        let mut common: Vec<String> = vec![
            "ripe-atlas".to_string(),
            "measure".to_string(),
            self.test.type_name().to_string(),
        ];
        let target = self.target.trim();
        let with_target = match &self.test {
            AtlasTest::Dns {
                use_probe_resolver, ..
            } => !use_probe_resolver && !target.is_empty(),
            _ => true,
        };
        if with_target {
            common.push(option("--target", target));
        }
        common.push(option("--af", &self.af.to_string()));
        common.push(option("--description", self.description.trim()));
        if self.resolve_on_probe {
            common.push("--resolve-on-probe".to_string());
        }
        match &self.test {
            AtlasTest::Ping { packets } => common.push(option("--packets", &packets.to_string())),
            AtlasTest::Traceroute { protocol, paris } => {
                common.push(option("--protocol", &protocol.trim().to_ascii_uppercase()));
                common.push(option("--paris", &paris.to_string()));
            }
            AtlasTest::Dns {
                query_type,
                query_argument,
                ..
            } => {
                common.push(option(
                    "--query-type",
                    &query_type.trim().to_ascii_uppercase(),
                ));
                common.push(option("--query-argument", query_argument.trim()));
                // The body sets RD; the tool leaves it off unless asked.
                common.push("--set-rd-bit".to_string());
            }
        }
        if self.probes.is_empty() {
            return common.join(" ");
        }
        self.probes
            .iter()
            .map(|probe| {
                let mut words = common.clone();
                let value = probe.selector.api_value();
                match &probe.selector {
                    ProbeSelector::Probes(_) => {
                        words.push(option("--from-probes", &value));
                    }
                    // The tool has no option for the region selector: a comment line says so
                    // rather than a command that would measure from somewhere else.
                    ProbeSelector::Region(_) => {
                        return format!(
                            "# {} probes in {}: ripe-atlas-tools has no region option; create this \
                             selection from the JSON definition",
                            probe.requested,
                            probe.selector.describe()
                        );
                    }
                    selector => {
                        words.push(option("--probes", &probe.requested.to_string()));
                        let flag = match selector {
                            ProbeSelector::Area(_) => "--from-area",
                            ProbeSelector::Country(_) => "--from-country",
                            ProbeSelector::Asn(_) => "--from-asn",
                            ProbeSelector::Prefix(_) => "--from-prefix",
                            _ => "--from-measurement",
                        };
                        words.push(option(flag, &value));
                    }
                }
                words.join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `--name value`, or `--name=value` when the value would look like an option.
fn option(name: &str, value: &str) -> String {
    if value.starts_with('-') {
        format!("{name}={}", shell_word(value))
    } else {
        format!("{name} {}", shell_word(value))
    }
}

/// One word for a POSIX shell (XCU §2.2.2: nothing inside single quotes is special, and a single quote
/// cannot appear there, so it is closed, escaped and reopened).
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{dns, ping, with};
    use super::*;

    #[test]
    fn a_region_selection_has_no_ripe_atlas_tools_command_and_says_so() {
        let create = ping("ripe.net", "europe:10, NL:2");
        let commands = create.ripe_atlas_tools_command();
        let lines: Vec<&str> = commands.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("# 10 probes in Europe: ripe-atlas-tools has no region option")
        );
        assert!(
            lines[1].ends_with("--probes 2 --from-country NL"),
            "{}",
            lines[1]
        );
    }

    /// Splits a POSIX shell line into words for the quoting subset `shell_word` produces (bare words,
    /// single quotes, backslash escapes), and fails on any unquoted character the shell would treat
    /// specially.
    fn shell_words(line: &str) -> Result<Vec<String>, String> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' => {
                    if let Some(done) = word.take() {
                        words.push(done);
                    }
                }
                '\'' => {
                    let current = word.get_or_insert_with(String::new);
                    loop {
                        match chars.next() {
                            Some('\'') => break,
                            Some(inner) => current.push(inner),
                            None => return Err("unterminated quote".into()),
                        }
                    }
                }
                '\\' => match chars.next() {
                    Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                    None => return Err("trailing backslash".into()),
                },
                c if "\n;&|<>()$`\"*?[]#~{}!\t".contains(c) => {
                    return Err(format!("unquoted {c:?}"));
                }
                c => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        Ok(words)
    }

    #[test]
    fn the_ripe_atlas_tools_command_matches_the_request() {
        let request = ping("ripe.net", "WW:50");
        assert_eq!(
            request.ripe_atlas_tools_command(),
            "ripe-atlas measure ping --target ripe.net --af 4 --description 'Vantage check' \
             --packets 3 --probes 50 --from-area WW"
        );
        let several = ping(
            "ripe.net",
            "WW:50, country NL:10, AS3333:5, 193.0.0.0/21:3, probes 6001,6002, msm 1033154:20",
        );
        let command = several.ripe_atlas_tools_command();
        let lines: Vec<&str> = command.lines().collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[1].ends_with("--probes 10 --from-country NL"));
        assert!(lines[2].ends_with("--probes 5 --from-asn 3333"));
        assert!(lines[3].ends_with("--probes 3 --from-prefix 193.0.0.0/21"));
        // The tool refuses --probes together with --from-probes.
        assert!(
            lines[4].ends_with("--packets 3 --from-probes 6001,6002"),
            "{}",
            lines[4]
        );
        assert!(lines[5].ends_with("--probes 20 --from-measurement 1033154"));

        let trace = with(
            AtlasTest::default_for("traceroute").unwrap(),
            "example.com",
            "WW:5",
        );
        assert!(
            trace
                .ripe_atlas_tools_command()
                .contains("measure traceroute --target example.com --af 4")
        );
        assert!(
            trace
                .ripe_atlas_tools_command()
                .contains("--protocol ICMP --paris 16")
        );
        let own = dns("example.com", "", true).ripe_atlas_tools_command();
        assert!(!own.contains("--target"), "{own}");
        assert!(own.contains("--query-type AAAA --query-argument example.com --set-rd-bit"));
        let asked = dns("example.com", "9.9.9.9", false).ripe_atlas_tools_command();
        assert!(asked.contains("measure dns --target 9.9.9.9"), "{asked}");
    }

    #[test]
    fn hostile_targets_are_quoted_safely_for_a_posix_shell() {
        for hostile in [
            "; rm -rf /",
            "ripe.net; rm -rf /",
            "$(reboot)",
            "`id`",
            "it's",
            "'; echo pwned; '",
            "\"quoted\"",
            "a\nrm -rf /",
            "-rf",
            "--auth=stolen",
            "a b\tc",
            "*",
            "~root",
            "x\\y",
            "",
        ] {
            let mut request = ping(hostile, "WW:5, NL:1");
            request.description = hostile.to_string();
            let command = request.ripe_atlas_tools_command();
            // One command per line: split on the new lines outside quotes.
            let mut commands: Vec<String> = vec![String::new()];
            let (mut quoted_part, mut escaped) = (false, false);
            for c in command.chars() {
                match c {
                    '\n' if !quoted_part && !escaped => commands.push(String::new()),
                    c => {
                        if let Some(current) = commands.last_mut() {
                            current.push(c);
                        }
                    }
                }
                if escaped {
                    escaped = false;
                } else if c == '\\' && !quoted_part {
                    escaped = true;
                } else if c == '\'' {
                    quoted_part = !quoted_part;
                }
            }
            assert!(!quoted_part, "{command}");
            assert_eq!(commands.len(), 2, "{command}");
            for line in commands {
                // The quoted value may hold a new line; the splitter treats it as an ordinary character
                // inside quotes, so only unquoted ones fail.
                let words = shell_words(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
                // `--option=value` is the same as `--option value` to the tool's parser.
                let words: Vec<String> = words
                    .into_iter()
                    .flat_map(|word| match word.split_once('=') {
                        Some((flag, value)) if flag.starts_with("--") => {
                            vec![flag.to_string(), value.to_string()]
                        }
                        _ => vec![word],
                    })
                    .collect();
                let value = hostile.trim().to_string();
                let origin = if line.ends_with("WW") {
                    ["--probes", "5", "--from-area", "WW"]
                } else {
                    ["--probes", "1", "--from-country", "NL"]
                };
                let expected: Vec<String> = [
                    "ripe-atlas",
                    "measure",
                    "ping",
                    "--target",
                    &value,
                    "--af",
                    "4",
                    "--description",
                    &value,
                    "--packets",
                    "3",
                ]
                .into_iter()
                .chain(origin)
                .map(str::to_string)
                .collect();
                assert_eq!(words, expected, "{line}");
            }
        }
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(option("--target", "-rf"), "--target=-rf");
    }
}
