//! What a build's output weighs, and whether it fits the host it is meant
//! for: files, bytes and the largest file, by kind of file, tallied as the
//! files are written (no second walk over a million files), and each
//! host's published limits (`host:` in site.yaml).
//!
//! Runs beside the write stage: every written or kept file is added once.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::OutputsConfig;

/// The kinds of file `--footprint` reports, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// `papers/<slug>/index.html`: a work's page with its hub.
    WorkPages,
    /// `papers/<slug>/page/N/`: a large hub's further citing papers.
    HubPages,
    /// The papers and hubs lists, taxonomy indexes and term pages.
    Lists,
    /// `cite.bib`, `cite.ris`, `cite.json`, `index.json` of each work.
    WorkFiles,
    /// `citing.bib` and `feed.xml` of each cited work.
    HubFiles,
    /// The keyword and category feeds.
    Feeds,
    /// `search/`: the split search index.
    Search,
    /// `export/`: every record and the graph in one file each.
    Exports,
    /// Home, free pages, aliases, static files, the site feed, the
    /// sitemap and the rest.
    Other,
}

impl Share {
    pub const ALL: [Share; 9] = [
        Share::WorkPages,
        Share::HubPages,
        Share::Lists,
        Share::WorkFiles,
        Share::HubFiles,
        Share::Feeds,
        Share::Search,
        Share::Exports,
        Share::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Share::WorkPages => "work pages",
            Share::HubPages => "hub pages 2..",
            Share::Lists => "lists and term pages",
            Share::WorkFiles => "per-work files (cite.*, index.json)",
            Share::HubFiles => "per-hub files (citing.bib, feed.xml)",
            Share::Feeds => "term feeds",
            Share::Search => "search index",
            Share::Exports => "exports",
            Share::Other => "other (home, static, feed, sitemap, ...)",
        }
    }

    /// The kind of the file at site path `rel`.
    pub fn of(rel: &str) -> Share {
        let mut parts = rel.split('/');
        let first = parts.next().unwrap_or_default();
        let last = rel.rsplit('/').next().unwrap_or_default();
        match first {
            "papers" => {
                let rest: Vec<&str> = parts.collect();
                let page_number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
                match rest.as_slice() {
                    ["index.html"] => Share::Lists,
                    ["page", n, "index.html"] if page_number(n) => Share::Lists,
                    [_, "index.html"] => Share::WorkPages,
                    [_, "page", ..] => Share::HubPages,
                    [_, "citing.bib" | "feed.xml"] => Share::HubFiles,
                    [_, "cite.bib" | "cite.ris" | "cite.json" | "index.json"] => Share::WorkFiles,
                    _ => Share::Other,
                }
            }
            // The site's own feed is no term feed: no switch turns it off.
            _ if last == "feed.xml" && rel != "feed.xml" => Share::Feeds,
            "hubs" | "authors" | "keywords" | "categories" | "years" => Share::Lists,
            "search" if rel != "search/index.html" => Share::Search,
            "export" => Share::Exports,
            _ => Share::Other,
        }
    }
}

/// Files and bytes of one kind, or of the whole output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub files: u64,
    pub bytes: u64,
}

/// The output's weight: in all, by [`Share`], and its largest file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    pub total: Tally,
    pub shares: [Tally; Share::ALL.len()],
    /// The largest file's site path and size.
    pub largest: (String, u64),
    /// The folder with the most entries (files and folders) and how many:
    /// some hosts limit it.
    pub widest: (String, u64),
    /// Entries per folder, while tallying.
    entries: rustc_hash::FxHashMap<String, u64>,
}

impl Footprint {
    /// Adds the file at site path `rel`, of `bytes` bytes.
    pub fn add(&mut self, rel: &str, bytes: u64) {
        self.total.files += 1;
        self.total.bytes += bytes;
        let share = &mut self.shares[Share::ALL
            .iter()
            .position(|&s| s == Share::of(rel))
            .expect("every share is listed")];
        share.files += 1;
        share.bytes += bytes;
        if bytes > self.largest.1 || self.largest.0.is_empty() {
            self.largest = (rel.to_string(), bytes);
        }
        // Each file is an entry of its folder, and each folder of its
        // parent the first time it is seen ("" is the output folder).
        let mut path = rel;
        loop {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let n = match self.entries.get_mut(dir) {
                Some(n) => n,
                None => self.entries.entry(dir.to_string()).or_insert(0),
            };
            *n += 1;
            if *n > 1 || dir.is_empty() {
                break;
            }
            path = dir;
        }
    }

    /// Finishes the tally: finds the widest folder.
    pub fn finish(mut self) -> Footprint {
        self.widest = self
            .entries
            .iter()
            .map(|(dir, &n)| (dir.clone(), n))
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .unwrap_or_default();
        self.entries = Default::default();
        self
    }

    pub fn share(&self, s: Share) -> Tally {
        self.shares[Share::ALL.iter().position(|&x| x == s).expect("listed")]
    }

    /// One line: files, bytes and the largest file.
    pub fn line(&self) -> String {
        format!(
            "{} files, {}; largest {} ({})",
            self.total.files,
            Size(self.total.bytes),
            self.largest.0,
            Size(self.largest.1)
        )
    }

    /// The share of each kind, a line each (`--footprint`).
    pub fn table(&self) -> String {
        let mut out = String::new();
        for s in Share::ALL {
            let t = self.share(s);
            if t.files == 0 {
                continue;
            }
            let pct = 100.0 * t.bytes as f64 / self.total.bytes.max(1) as f64;
            out.push_str(&format!(
                "{:>10} files {:>11} {:>5.1}%  {}\n",
                t.files,
                Size(t.bytes).to_string(),
                pct,
                s.name()
            ));
        }
        out
    }
}

/// A byte count as people read it (binary units, as hosts state limits).
#[derive(Debug, Clone, Copy)]
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let b = self.0 as f64;
        if self.0 >= 1 << 30 {
            write!(f, "{:.2} GiB", b / (1u64 << 30) as f64)
        } else if self.0 >= 1 << 20 {
            write!(f, "{:.1} MiB", b / (1u64 << 20) as f64)
        } else if self.0 >= 1 << 10 {
            write!(f, "{:.1} KiB", b / 1024.0)
        } else {
            write!(f, "{} B", self.0)
        }
    }
}

/// Where the site is published (`host:` in site.yaml), for its limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Host {
    #[default]
    None,
    GithubPages,
    GitlabPages,
    CloudflarePages,
    Netlify,
}

/// A host's published limits; `None` where it states none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub bytes: Option<u64>,
    pub files: Option<u64>,
    pub file_bytes: Option<u64>,
    pub dir_entries: Option<u64>,
}

const GB: u64 = 1_000_000_000;
const MIB: u64 = 1 << 20;

impl Host {
    pub fn name(self) -> &'static str {
        match self {
            Host::None => "none",
            Host::GithubPages => "GitHub Pages",
            Host::GitlabPages => "GitLab Pages",
            Host::CloudflarePages => "Cloudflare Pages",
            Host::Netlify => "Netlify",
        }
    }

    /// The limits each host publishes (see the guide's Publishing).
    pub fn limits(self) -> Limits {
        let none = Limits {
            bytes: None,
            files: None,
            file_bytes: None,
            dir_entries: None,
        };
        match self {
            Host::None => none,
            // A published site of at most 1 GB; git refuses files over 100 MiB.
            Host::GithubPages => Limits {
                bytes: Some(GB),
                file_bytes: Some(100 * MIB),
                ..none
            },
            Host::GitlabPages => Limits {
                bytes: Some(GB),
                files: Some(200_000),
                ..none
            },
            Host::CloudflarePages => Limits {
                files: Some(20_000),
                file_bytes: Some(25 * MIB),
                ..none
            },
            Host::Netlify => Limits {
                dir_entries: Some(54_000),
                ..none
            },
        }
    }
}

/// How `footprint` stands against `host`'s limits: one message per limit
/// it is over, each saying which `outputs:` switches would save how much,
/// or that no switch can make it fit. Empty when it fits.
pub fn over_budget(footprint: &Footprint, host: Host, outputs: &OutputsConfig) -> Vec<String> {
    let limits = host.limits();
    let name = host.name();
    // What each switch that is on would take away.
    let switches: Vec<(&str, Tally)> = [
        ("outputs.work_files", outputs.work_files, Share::WorkFiles),
        ("outputs.hub_files", outputs.hub_files, Share::HubFiles),
        ("outputs.exports", outputs.exports, Share::Exports),
        ("outputs.term_feeds", outputs.term_feeds, Share::Feeds),
    ]
    .into_iter()
    .filter(|&(_, on, _)| on)
    .map(|(key, _, share)| (key, footprint.share(share)))
    .filter(|(_, t)| t.files > 0)
    .collect();
    let savings = |of: &dyn Fn(&Tally) -> u64, unit: &dyn Fn(u64) -> String| {
        let saved: u64 = switches.iter().map(|(_, t)| of(t)).sum();
        let list = switches
            .iter()
            .map(|(k, t)| format!("`{k}: false` saves {}", unit(of(t))))
            .collect::<Vec<_>>()
            .join(", ");
        (saved, list)
    };
    const PAST: &str = "too large for this host: publish it to object storage behind a CDN (S3, R2 or GCS, synced with `rclone sync`; see the guide's Publishing)";
    let mut out = Vec::new();
    let mut over =
        |have: u64, limit: u64, saved: u64, list: String, unit: &dyn Fn(u64) -> String| {
            let fix = if list.is_empty() || have - saved.min(have) > limit {
                if list.is_empty() {
                    format!("no optional output is on, so the hub itself is {PAST}")
                } else {
                    format!("{list}, which is not enough: the hub itself is {PAST}")
                }
            } else {
                list
            };
            out.push(format!(
                "the output has {} in all, over {name}'s limit of {}; {fix}",
                unit(have),
                unit(limit)
            ));
        };
    let bytes = |n: u64| Size(n).to_string();
    let files = |n: u64| format!("{n} files");
    if let Some(limit) = limits.bytes.filter(|&l| footprint.total.bytes > l) {
        let (saved, list) = savings(&|t| t.bytes, &bytes);
        over(footprint.total.bytes, limit, saved, list, &bytes);
    }
    if let Some(limit) = limits.files.filter(|&l| footprint.total.files > l) {
        let (saved, list) = savings(&|t| t.files, &files);
        over(footprint.total.files, limit, saved, list, &files);
    }
    if let Some(limit) = limits.file_bytes.filter(|&l| footprint.largest.1 > l) {
        out.push(format!(
            "the largest file, {}, has {}, over {name}'s limit of {} per file; turn off the output it belongs to or publish to object storage",
            footprint.largest.0,
            Size(footprint.largest.1),
            Size(limit)
        ));
    }
    if let Some(limit) = limits.dir_entries.filter(|&l| footprint.widest.1 > l) {
        out.push(format!(
            "the folder `{}/` has {} entries, over {name}'s limit of {limit} per folder; the hub itself is {PAST}",
            footprint.widest.0, footprint.widest.1
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_sorted_into_their_kinds() {
        for (path, want) in [
            ("papers/x/index.html", Share::WorkPages),
            ("papers/x/page/2/index.html", Share::HubPages),
            ("papers/index.html", Share::Lists),
            ("papers/page/3/index.html", Share::Lists),
            ("papers/x/cite.bib", Share::WorkFiles),
            ("papers/x/index.json", Share::WorkFiles),
            ("papers/x/citing.bib", Share::HubFiles),
            ("papers/x/feed.xml", Share::HubFiles),
            ("keywords/k/feed.xml", Share::Feeds),
            ("feed.xml", Share::Other),
            ("papers/page/index.html", Share::WorkPages),
            ("papers/page/page/2/index.html", Share::HubPages),
            ("authors/a/page/2/index.html", Share::Lists),
            ("search/t/3.js", Share::Search),
            ("search/index.html", Share::Other),
            ("export/papers.bib", Share::Exports),
            ("static/style.css", Share::Other),
            ("index.html", Share::Other),
        ] {
            assert_eq!(Share::of(path), want, "case {path}");
        }
    }

    fn footprint(files: &[(&str, u64)]) -> Footprint {
        let mut f = Footprint::default();
        for &(p, n) in files {
            f.add(p, n);
        }
        f.finish()
    }

    #[test]
    fn tallies_totals_shares_the_largest_file_and_the_widest_folder() {
        let f = footprint(&[
            ("index.html", 10),
            ("papers/a/index.html", 100),
            ("papers/b/index.html", 300),
            ("papers/c/index.html", 50),
            ("papers/c/cite.bib", 5),
        ]);
        assert_eq!(
            f.total,
            Tally {
                files: 5,
                bytes: 465
            }
        );
        assert_eq!(
            f.share(Share::WorkPages),
            Tally {
                files: 3,
                bytes: 450
            }
        );
        assert_eq!(f.largest, ("papers/b/index.html".to_string(), 300));
        assert_eq!(f.widest, ("papers".to_string(), 3));
        assert!(f
            .line()
            .starts_with("5 files, 465 B; largest papers/b/index.html"));
        assert!(f.table().contains("work pages"), "{}", f.table());
    }

    #[test]
    fn a_site_over_a_limit_is_told_which_switch_saves_how_much() {
        let mut files: Vec<(String, u64)> = (0..15_000)
            .map(|i| (format!("papers/p{i}/index.html"), 1000))
            .collect();
        files.extend((0..15_000).map(|i| (format!("papers/p{i}/cite.bib"), 100)));
        let mut f = Footprint::default();
        for (p, n) in &files {
            f.add(p, *n);
        }
        let f = f.finish();
        let all = OutputsConfig::all();
        assert!(over_budget(&f, Host::GithubPages, &all).is_empty());
        assert!(over_budget(&f, Host::None, &all).is_empty());
        let over = over_budget(&f, Host::CloudflarePages, &all);
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(
            over[0].contains("30000 files in all, over Cloudflare Pages's limit of 20000 files")
                && over[0].contains("`outputs.work_files: false` saves 15000 files")
                && !over[0].contains("not enough"),
            "{}",
            over[0]
        );
        // Without the per-work files, the pages alone still do not fit.
        let mut f = Footprint::default();
        for i in 0..25_000 {
            f.add(&format!("papers/p{i}/index.html"), 1000);
        }
        let over = over_budget(
            &f.finish(),
            Host::CloudflarePages,
            &OutputsConfig::default(),
        );
        assert!(over[0].contains("the hub itself is too large"), "{over:?}");
    }

    #[test]
    fn a_folder_over_netlifys_limit_is_reported() {
        let mut f = Footprint::default();
        for i in 0..54_001 {
            f.add(&format!("papers/p{i}/index.html"), 10);
        }
        let f = f.finish();
        assert_eq!(f.widest, ("papers".to_string(), 54_001));
        let over = over_budget(&f, Host::Netlify, &OutputsConfig::default());
        assert!(over[0].contains("`papers/` has 54001 entries"), "{over:?}");
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(Size(512).to_string(), "512 B");
        assert_eq!(Size(1536).to_string(), "1.5 KiB");
        assert_eq!(Size(250 << 20).to_string(), "250.0 MiB");
        assert_eq!(Size(3 << 30).to_string(), "3.00 GiB");
    }
}
