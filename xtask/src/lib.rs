//! A deterministic generator of large declarations, for benchmarks and scale tests.
//!
//! The generator reads the declaration shape from the built-in packs rather than from a
//! template, so that every record type and every field the packs define is filled in and a
//! new field is exercised as soon as a pack declares it. The same `(items, seed)` always
//! gives the same bytes: benchmark figures from different machines or commits compare
//! like with like.
//!
//! Facts are biased the way real declarations are: most measures are in place, most
//! optional facts are stated, and a minority are missing or wrong, so that a realistic
//! share of results is violated or unknown rather than all or none.

use std::fmt::Write as _;

use comply::program::shape::{RecordDef, Shape, Type, DECLARATION};
use comply::program::Program;

/// How the items of a generated declaration are spread over the declaration's lists, by
/// list name: activities dominate real registers, data centres are few. Lists not named
/// here get weight 1.
const LIST_WEIGHTS: &[(&str, u32)] = &[
    ("processing", 30),
    ("systems", 14),
    ("incidents", 8),
    ("requests", 10),
    ("processors", 8),
    ("transfers", 5),
    ("sharing", 5),
    ("online_services", 6),
    ("security_incidents", 6),
    ("cloud_offers", 5),
    ("data_centres", 3),
];

/// Country codes used for fields naming a country or a place: the country the packs are
/// written for, EU member states (adequacy and EU-law obligations) and third countries.
const COUNTRIES: &[&str] = &["KH", "KH", "KH", "FR", "DE", "SG", "US", "IE", "CN", "TH"];

/// Share of optional facts that are stated, in percent.
const STATED: u64 = 92;

/// Share of booleans that are true, in percent: most flags are measures in place.
const TRUE: u64 = 80;

/// Items in a list nested inside an item.
const NESTED_ITEMS: u64 = 3;

/// How deep records may nest inside one another before optional fields are left out.
const MAX_NESTING: usize = 6;

/// A small, fast pseudo-random generator (SplitMix64): deterministic across platforms and
/// crate versions, which a generator of benchmark inputs needs more than statistical
/// quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// True with the given chance in percent.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(options.len() as u64)).unwrap_or(0);
        options.get(i).copied().unwrap_or("")
    }
}

/// How many items each list of the declaration gets, in the order the shape lists them.
pub fn spread(shape: &Shape, items: usize) -> Vec<(String, usize)> {
    let lists: Vec<(&str, u32)> = shape
        .record(DECLARATION)
        .fields
        .iter()
        .filter(|f| matches!(&f.ty, Type::List(t) if matches!(**t, Type::Record(_))))
        .map(|f| {
            let weight = LIST_WEIGHTS
                .iter()
                .find(|(name, _)| *name == f.name)
                .map_or(1, |(_, w)| *w);
            (f.name.as_str(), weight)
        })
        .collect();
    let total: u64 = lists.iter().map(|(_, w)| u64::from(*w)).sum::<u64>().max(1);
    let mut out: Vec<(String, usize)> = lists
        .iter()
        .map(|(name, w)| {
            let share = (items as u64 * u64::from(*w)) / total;
            (name.to_string(), usize::try_from(share).unwrap_or(0))
        })
        .collect();
    // Rounding leaves a remainder; the largest list takes it so the total is exact.
    let given: usize = out.iter().map(|(_, n)| n).sum();
    if let Some(first) = out.iter_mut().max_by_key(|(_, n)| *n) {
        first.1 += items.saturating_sub(given);
    }
    out
}

/// A declaration with `items` items spread over the lists of the built-in packs' shape,
/// as JSON text.
pub fn declaration(program: &Program, items: usize, seed: u64) -> String {
    let shape = &program.shape;
    let mut g = Generator {
        shape,
        rng: Rng(seed),
        out: String::with_capacity(items * 1400 + 4096),
        keys: Vec::new(),
    };
    let spread = spread(shape, items);
    // Keys first, so that fields referring to other items (a processing activity named by
    // a request) can point at items that exist.
    for (list, n) in &spread {
        let keys = (0..*n).map(|i| format!("{}-{i}", singular(list))).collect();
        g.keys.push((list.clone(), keys));
    }
    let root = shape.record(DECLARATION);
    g.out.push('{');
    let mut first = true;
    for field in &root.fields {
        let count = spread
            .iter()
            .find(|(l, _)| *l == field.name)
            .map(|(_, n)| *n);
        if !first {
            g.out.push(',');
        }
        first = false;
        g.out.push('\n');
        push_string(&mut g.out, &field.name);
        g.out.push(':');
        match (count, &field.ty) {
            (Some(n), Type::List(element)) => {
                g.out.push('[');
                for i in 0..n {
                    if i > 0 {
                        g.out.push(',');
                    }
                    g.out.push('\n');
                    g.item(element, &field.name, i, 1);
                }
                g.out.push_str("\n]");
            }
            _ => g.value(&field.name, &field.ty, 1),
        }
    }
    g.out.push_str("\n}\n");
    g.out
}

/// `processing` → `processing`, `systems` → `system`, `data_centres` → `data-centre`.
fn singular(list: &str) -> String {
    list.strip_suffix('s').unwrap_or(list).replace('_', "-")
}

struct Generator<'a> {
    shape: &'a Shape,
    rng: Rng,
    out: String,
    /// The keys of the items of each top-level list.
    keys: Vec<(String, Vec<String>)>,
}

impl Generator<'_> {
    /// One item of a top-level list, whose key is the `index`th key of that list.
    fn item(&mut self, ty: &Type, list: &str, index: usize, depth: usize) {
        let Type::Record(id) = ty else {
            self.value(list, ty, depth);
            return;
        };
        let key = self
            .keys
            .iter()
            .find(|(l, _)| l == list)
            .and_then(|(_, keys)| keys.get(index))
            .cloned();
        let record = self.shape.record(*id);
        self.record(record, key.as_deref(), depth);
    }

    fn record(&mut self, record: &RecordDef, key: Option<&str>, depth: usize) {
        self.out.push('{');
        let mut first = true;
        for (i, field) in record.fields.iter().enumerate() {
            let is_key = record.key == Some(i);
            let nested_too_deep = depth > MAX_NESTING && field.optional;
            if !is_key && field.optional && (nested_too_deep || !self.rng.chance(STATED)) {
                continue;
            }
            if !first {
                self.out.push(',');
            }
            first = false;
            push_string(&mut self.out, &field.name);
            self.out.push(':');
            match (is_key, key) {
                (true, Some(k)) => push_string(&mut self.out, k),
                (true, None) => {
                    let k = format!("{}-{}", field.name, self.rng.below(1_000_000));
                    push_string(&mut self.out, &k);
                }
                _ => self.value(&field.name, &field.ty, depth + 1),
            }
        }
        self.out.push('}');
    }

    fn value(&mut self, name: &str, ty: &Type, depth: usize) {
        match ty {
            Type::Bool => {
                let b = self.rng.chance(TRUE);
                self.out.push_str(if b { "true" } else { "false" });
            }
            Type::Int => {
                let n = if name.contains("employee") {
                    5 + self.rng.below(3000)
                } else if name.contains("hours") {
                    self.rng.below(120)
                } else {
                    self.rng.below(2_000)
                };
                let _ = write!(self.out, "{n}");
            }
            Type::Number => {
                let n = self.rng.below(100_000) as f64 / 100.0;
                let _ = write!(self.out, "{n:.2}");
            }
            Type::Text => {
                let text = self.text(name);
                push_string(&mut self.out, &text);
            }
            Type::Date => {
                let (y, m, d) = self.date();
                let _ = write!(self.out, "\"{y:04}-{m:02}-{d:02}\"");
            }
            Type::DateTime => {
                let (y, m, d) = self.date();
                let (h, min) = (self.rng.below(24), self.rng.below(60));
                let _ = write!(self.out, "\"{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:00Z\"");
            }
            Type::Duration => {
                let units = ["h", "d", "mo", "y"];
                let unit = self.rng.pick(&units);
                let n = match unit {
                    "h" => 1 + self.rng.below(96),
                    "d" => 1 + self.rng.below(60),
                    "mo" => 1 + self.rng.below(36),
                    _ => 1 + self.rng.below(10),
                };
                let _ = write!(self.out, "\"{n}{unit}\"");
            }
            Type::Enum(id) => {
                let members = self.shape.enums.get(*id).map_or(0, |e| e.members.len());
                let member = self
                    .shape
                    .enums
                    .get(*id)
                    .and_then(|e| {
                        let i = usize::try_from(self.rng.below(members as u64)).ok()?;
                        e.members.get(i)
                    })
                    .map(|m| m.name.clone())
                    .unwrap_or_default();
                push_string(&mut self.out, &member);
            }
            Type::Record(id) => {
                let record = self.shape.record(*id);
                self.record(record, None, depth);
            }
            Type::List(element) => {
                let n = if depth > MAX_NESTING {
                    0
                } else {
                    self.rng.below(NESTED_ITEMS + 1)
                };
                self.out.push('[');
                for i in 0..n {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(name, element, depth + 1);
                }
                self.out.push(']');
            }
            Type::EmptyList | Type::Error => self.out.push_str("null"),
        }
    }

    /// A text for a field: a country code for fields naming a place, the key of an
    /// existing item for fields naming another item, else a short unique-looking word.
    fn text(&mut self, name: &str) -> String {
        let place = [
            "country",
            "member_state",
            "location",
            "administered_from",
            "authorit",
        ];
        if place.iter().any(|p| name.contains(p)) {
            return self.rng.pick(COUNTRIES).to_string();
        }
        let target = self
            .keys
            .iter()
            .find(|(list, _)| *list == name || singular(list) == name)
            .map(|(_, keys)| keys.len());
        if let Some(n) = target.filter(|n| *n > 0) {
            let i = usize::try_from(self.rng.below(n as u64)).unwrap_or(0);
            let list = self
                .keys
                .iter()
                .find(|(list, _)| *list == name || singular(list) == name);
            if let Some(key) = list.and_then(|(_, keys)| keys.get(i)) {
                return key.clone();
            }
        }
        format!("{name}-{}", self.rng.below(10_000))
    }

    fn date(&mut self) -> (u64, u64, u64) {
        (
            2021 + self.rng.below(6),
            1 + self.rng.below(12),
            1 + self.rng.below(28),
        )
    }
}

/// Appends a JSON string literal.
fn push_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::Value::from(text).to_string());
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;

    fn program() -> Program {
        comply::packs::load(comply::packs::builtin())
            .map_err(|d| d.len())
            .unwrap()
    }

    #[test]
    fn same_seed_same_bytes_and_the_item_count_is_exact() {
        let program = program();
        let a = declaration(&program, 500, 7);
        assert_eq!(a, declaration(&program, 500, 7));
        assert_ne!(a, declaration(&program, 500, 8));
        let total: usize = spread(&program.shape, 500).iter().map(|(_, n)| n).sum();
        assert_eq!(total, 500);
    }

    #[test]
    fn the_output_loads_against_the_builtin_shape() {
        let program = program();
        let text = declaration(&program, 300, 1);
        let file = comply::source::SourceFile::new("gen.json", text);
        let loaded = comply::decl::load::load(&program.shape, file);
        assert!(loaded.is_ok(), "{:?}", loaded.err().map(|d| d.len()));
    }
}
