//! Generates a synthetic paper hub for benchmarks: N records of realistic
//! shape, seeded and deterministic.
//!
//!     cargo run --release --example gen -- N DIR [SEED]
//!
//! Each record has 1 to 12 authors from a pool, a 150 to 300 word Markdown
//! body (a heading, a list, inline and display math, one fenced code block),
//! keywords and categories from pools, and 5 to 30 citations chosen by
//! preferential attachment (a paper is cited in proportion to how often it
//! already is, so a few works gather thousands of citations). About a fifth
//! of the edges carry a role and a polarity; about one in ten cites a work
//! that has no record.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "model",
    "data",
    "training",
    "removal",
    "gradient",
    "loss",
    "bound",
    "privacy",
    "certified",
    "forgetting",
    "retain",
    "forget",
    "set",
    "update",
    "parameter",
    "space",
    "we",
    "show",
    "that",
    "the",
    "a",
    "of",
    "in",
    "to",
    "is",
    "our",
    "method",
    "approach",
    "baseline",
    "benchmark",
    "result",
    "theorem",
    "proof",
    "assumption",
    "convex",
    "linear",
    "network",
    "layer",
    "representation",
    "influence",
    "function",
    "Hessian",
    "Newton",
    "step",
    "noise",
    "differential",
    "guarantee",
    "attack",
    "membership",
    "inference",
    "accuracy",
    "utility",
    "trade-off",
    "efficient",
    "scalable",
    "exact",
    "approximate",
    "retraining",
    "cost",
    "sample",
    "batch",
    "distribution",
    "shift",
    "fine-tuning",
    "language",
    "vision",
    "diffusion",
    "concept",
    "erasure",
    "federated",
    "client",
    "server",
    "round",
    "evaluation",
    "metric",
    "error",
    "variance",
    "regularization",
    "objective",
];
const FIRST: &[&str] = &[
    "Ada", "Alan", "Grace", "Emmy", "Kurt", "Sofia", "Wei", "Li", "Yuki", "Amara", "Ravi", "Lena",
    "Omar", "Chen", "Maria", "Jonas", "Ines", "Tariq", "Hana", "Pablo", "Nia", "Igor", "Zara",
    "Felix", "Mei",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "Noether",
    "Gödel",
    "Kovalevskaya",
    "Zhang",
    "Wang",
    "Tanaka",
    "Okafor",
    "Patel",
    "Schmidt",
    "Haddad",
    "Liu",
    "García",
    "Berg",
    "Costa",
    "Rahman",
    "Sato",
    "Ruiz",
    "Mensah",
    "Petrov",
    "Khan",
    "Weber",
    "Lin",
    "Nakamura",
    "Silva",
    "Novak",
    "Fischer",
    "Ito",
];
const KEYWORDS: &[&str] = &[
    "machine unlearning",
    "differential privacy",
    "federated learning",
    "large language models",
    "diffusion models",
    "certified removal",
    "membership inference",
    "influence functions",
    "continual learning",
    "model editing",
    "data valuation",
    "robustness",
    "fairness",
    "copyright",
    "benchmarks",
    "optimization",
    "theory",
    "vision",
];
const CATEGORIES: &[&str] = &[
    "cs.LG", "cs.CL", "cs.CV", "cs.CR", "stat.ML", "cs.AI", "math.OC", "cs.DS",
];
const ROLES: &[&str] = &["background", "method", "result", "extension"];
const POLARITIES: &[&str] = &["supporting", "neutral", "contrasting"];
const LANGS: &[&str] = &["python", "rust", "text"];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            let first = c.next().unwrap().to_uppercase().to_string();
            s.push_str(&first);
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn body(rng: &mut Rng) -> String {
    let target = rng.range(150, 300);
    let mut out = String::new();
    let mut words = 0;
    let para = |rng: &mut Rng, out: &mut String, words: &mut usize| {
        let n = rng.range(3, 5);
        for _ in 0..n {
            let len = rng.range(8, 16);
            out.push_str(&sentence(rng, len));
            out.push(' ');
            *words += len;
        }
        out.push_str("\n\n");
    };
    para(rng, &mut out, &mut words);
    out.push_str(&format!(
        "## {}\n\n",
        sentence(rng, 3).trim_end_matches('.')
    ));
    out.push_str("The loss is $L(\\theta) = \\sum_i \\ell(x_i; \\theta)$ and its update reads\n\n");
    out.push_str("$$\n\\theta' = \\theta - \\eta H^{-1} \\nabla L(\\theta)\n$$\n\n");
    for _ in 0..3 {
        let len = rng.range(4, 8);
        out.push_str(&format!("- {}\n", sentence(rng, len)));
        words += len;
    }
    out.push('\n');
    let lang = rng.pick(LANGS);
    out.push_str(&format!(
        "```{lang}\nfor step in range(10):\n    theta = update(theta, grad(loss, theta))\n```\n\n"
    ));
    while words < target {
        para(rng, &mut out, &mut words);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (
        args.first().and_then(|s| s.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen N DIR [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42u64);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let dir = PathBuf::from(dir);
    let papers = dir.join("content/papers");
    fs::create_dir_all(&papers).expect("create DIR/content/papers");
    fs::write(
        dir.join("site.yaml"),
        "title: \"Synthetic hub\"\nbase_url: \"https://example.org/\"\npapers_per_page: 50\n",
    )
    .expect("write site.yaml");
    // Each paper appears once, plus once per citation it receives: a
    // uniform pick from this list is preferential attachment.
    let mut urn: Vec<usize> = Vec::with_capacity(n * 20);
    let externals = (n / 20).max(10);
    for i in 0..n {
        let year = 2000 + i * 26 / n.max(1);
        let mut text = String::with_capacity(4096);
        let _ = writeln!(text, "---\nid: \"gen.{i:06}\"");
        let title_words = rng.range(5, 12);
        let _ = writeln!(
            text,
            "title: \"{}\"",
            sentence(&mut rng, title_words).trim_end_matches('.')
        );
        let authors: Vec<String> = (0..rng.range(1, 12))
            .map(|_| format!("\"{} {}\"", rng.pick(FIRST), rng.pick(LAST)))
            .collect();
        let _ = writeln!(text, "authors: [{}]", dedup(authors).join(", "));
        let _ = writeln!(text, "year: {year}");
        let kws: Vec<String> = (0..rng.range(1, 4))
            .map(|_| format!("\"{}\"", rng.pick(KEYWORDS)))
            .collect();
        let _ = writeln!(text, "keywords: [{}]", dedup(kws).join(", "));
        let cats: Vec<String> = (0..rng.range(1, 2))
            .map(|_| format!("\"{}\"", rng.pick(CATEGORIES)))
            .collect();
        let _ = writeln!(text, "categories: [{}]", dedup(cats).join(", "));
        let _ = writeln!(text, "summary: \"{}\"", sentence(&mut rng, 14));
        let mut cited: Vec<String> = Vec::new();
        if i > 0 {
            for _ in 0..rng.range(5, 30) {
                let id = if rng.below(10) == 0 {
                    format!("ext.{:05}", rng.below(externals))
                } else {
                    let pick = if urn.is_empty() {
                        rng.below(i)
                    } else {
                        urn[rng.below(urn.len())]
                    };
                    format!("gen.{pick:06}")
                };
                if !cited.contains(&id) {
                    cited.push(id);
                }
            }
        }
        if !cited.is_empty() {
            text.push_str("cites:\n");
            for id in &cited {
                let _ = writeln!(text, "  - id: \"{id}\"");
                if rng.below(5) == 0 {
                    let _ = writeln!(
                        text,
                        "    role: {}\n    polarity: {}",
                        rng.pick(ROLES),
                        rng.pick(POLARITIES)
                    );
                }
                if let Some(ext) = id.strip_prefix("ext.") {
                    let _ = writeln!(text, "    title: \"External work {ext}\"");
                }
                if let Some(n) = id
                    .strip_prefix("gen.")
                    .and_then(|s| s.parse::<usize>().ok())
                {
                    urn.push(n);
                }
            }
        }
        urn.push(i);
        text.push_str("---\n");
        text.push_str(&body(&mut rng));
        fs::write(papers.join(format!("gen.{i:06}.md")), text).expect("write a record");
    }
    eprintln!("wrote {n} records to {}", papers.display());
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}
