//! The demo shop's fixed shape: shop settings, nodes, materials, work centers and the
//! three products with their options, bills of materials and routings.
//!
//! Nothing here is random; only dates move with `today`. The codes chosen here are the
//! vocabulary the rest of the generator (supply, history) and the scenario constants in
//! `seed/mod.rs` refer to.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use engine::Selection;
use serde_json::{Value, json};

use super::model::{
    ApiKey, BomLine, Freeze, Holiday, Lane, Lifecycle, Material, MaterialKind, Merchant, Node, NodeKind,
    Operation, OptionGroup, OptionValue, Product, Shop, WorkCenter,
};
use super::{
    DEMO_MERCHANT_EMAIL, DEMO_MERCHANT_PASSWORD, DEMO_PUBLISHABLE_KEY, DEMO_SECRET_KEY, DEMO_SHOP_SLUG,
};
use crate::auth::keys::KeyKind;

/// Monday to Friday, Monday = bit 0.
pub(super) const MON_FRI: u8 = 0b001_1111;
/// Monday to Saturday.
const MON_SAT: u8 = 0b011_1111;

/// The weekender opened for preorders this many days ago.
pub(super) const WEEKENDER_LAUNCH_DAYS: u64 = 56;

/// Midnight UTC of the day `days` before `today`.
pub(super) fn days_ago(today: NaiveDate, days: u64) -> DateTime<Utc> {
    (today - Days::new(days))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date")
}

/// The shop row, its holidays and origins.
pub(super) fn shop(today: NaiveDate) -> Shop {
    Shop {
        slug: DEMO_SHOP_SLUG.into(),
        name: "Atelier Demo — custom bags & sneakers".into(),
        timezone: "Europe/Berlin".into(),
        currency: "EUR".into(),
        working_weekdays: MON_FRI,
        transit_days: 2,
        created_at: days_ago(today, 400),
        holidays: shop_holidays(today),
        origins: vec!["http://localhost:3000".into(), "http://127.0.0.1:3000".into()],
    }
}

/// Christmas and New Year around `today`: last year's (the history reaches back into
/// it), this year's, and next New Year's Day, so the calendar is right whichever month
/// the demo is seeded in.
pub(super) fn shop_holidays(today: NaiveDate) -> Vec<Holiday> {
    let mut days = Vec::new();
    for year in [today.year() - 1, today.year()] {
        days.push(Holiday {
            day: date(year, 1, 1),
            name: "New Year's Day".into(),
        });
        days.push(Holiday {
            day: date(year, 5, 1),
            name: "Labour Day".into(),
        });
        days.push(Holiday {
            day: date(year, 12, 24),
            name: "Christmas Eve".into(),
        });
        days.push(Holiday {
            day: date(year, 12, 25),
            name: "Christmas Day".into(),
        });
        days.push(Holiday {
            day: date(year, 12, 26),
            name: "Boxing Day".into(),
        });
        days.push(Holiday {
            day: date(year, 12, 31),
            name: "New Year's Eve".into(),
        });
    }
    days.push(Holiday {
        day: date(today.year() + 1, 1, 1),
        name: "New Year's Day".into(),
    });
    days
}

/// The merchant account.
pub(super) fn merchant(today: NaiveDate) -> Merchant {
    Merchant {
        email: DEMO_MERCHANT_EMAIL.into(),
        name: "Demo Merchant".into(),
        password: DEMO_MERCHANT_PASSWORD.into(),
        created_at: days_ago(today, 400),
    }
}

/// The fixed demo keys, so the demo storefront and API examples work out of the box.
pub(super) fn api_keys(today: NaiveDate) -> Vec<ApiKey> {
    vec![
        ApiKey {
            kind: KeyKind::Publishable,
            key: DEMO_PUBLISHABLE_KEY.into(),
            label: "Demo storefront widget".into(),
            created_at: days_ago(today, 400),
        },
        ApiKey {
            kind: KeyKind::Secret,
            key: DEMO_SECRET_KEY.into(),
            label: "Demo shop platform".into(),
            created_at: days_ago(today, 400),
        },
    ]
}

/// Warehouse, bag factory, sneaker factory.
pub(super) fn nodes() -> Vec<Node> {
    let node = |code: &str, name: &str, kind| Node {
        code: code.into(),
        name: name.into(),
        kind,
    };
    vec![
        node("WH", "Central warehouse", NodeKind::Warehouse),
        node("FB", "Bag workshop", NodeKind::Factory),
        node("FS", "Sneaker factory", NodeKind::Factory),
    ]
}

/// Lanes both ways between every pair of nodes.
pub(super) fn lanes() -> Vec<Lane> {
    let pairs = [("WH", "FB", 1, 15), ("WH", "FS", 2, 25), ("FB", "FS", 3, 35)];
    pairs
        .into_iter()
        .flat_map(|(a, b, days, cost)| {
            [(a, b), (b, a)].map(|(from, to)| Lane {
                from: from.into(),
                to: to.into(),
                lead_time_days: days,
                cost_per_unit_minor: cost,
            })
        })
        .collect()
}

/// `(sku, name, unit, unit cost, kind, colour family, generic, attributes)`.
type MaterialRow = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    MaterialKind,
    Option<&'static str>,
    bool,
    Value,
);

/// Materials: a table of `(sku, name, unit, unit cost, kind, colour family, generic,
/// attributes)`. Generic materials are shared by many configurations (postponement);
/// dedicated ones belong to one option (a colour of leather).
pub(super) fn materials() -> Vec<Material> {
    use MaterialKind::*;
    #[rustfmt::skip]
    let rows: Vec<MaterialRow> = vec![
        ("FAB-CNV-NAVY", "Canvas, navy", "cm", 14, Fabric, Some("blue"), false,
            json!({"material": "canvas", "colour": "navy", "weight_gsm": 340, "width_cm": 150})),
        ("FAB-CNV-SAND", "Canvas, sand", "cm", 14, Fabric, Some("beige"), false,
            json!({"material": "canvas", "colour": "sand", "weight_gsm": 340, "width_cm": 150})),
        ("FAB-CNV-BLACK", "Canvas, black", "cm", 14, Fabric, Some("black"), false,
            json!({"material": "canvas", "colour": "black", "weight_gsm": 340, "width_cm": 150})),
        ("FAB-CNV-RUST", "Canvas, rust", "cm", 15, Fabric, Some("orange"), false,
            json!({"material": "canvas", "colour": "rust", "weight_gsm": 340, "width_cm": 150})),
        ("FAB-CNV-LAGOON", "Canvas, lagoon blue", "cm", 16, Fabric, Some("blue"), false,
            json!({"material": "canvas", "colour": "lagoon blue", "weight_gsm": 340, "width_cm": 150})),
        ("FAB-LIN-NATURAL", "Linen, natural", "cm", 22, Fabric, Some("beige"), false,
            json!({"material": "linen", "colour": "natural", "weight_gsm": 280, "width_cm": 140})),
        ("FAB-LIN-STONE", "Linen, stone", "cm", 22, Fabric, Some("grey"), false,
            json!({"material": "linen", "colour": "stone", "weight_gsm": 280, "width_cm": 140})),
        ("FAB-LIN-SAGE", "Linen, sage", "cm", 23, Fabric, Some("green"), false,
            json!({"material": "linen", "colour": "sage", "weight_gsm": 280, "width_cm": 140})),
        ("FAB-LIN-INDIGO", "Linen, indigo", "cm", 24, Fabric, Some("blue"), false,
            json!({"material": "linen", "colour": "indigo", "weight_gsm": 280, "width_cm": 140})),
        ("FAB-LINING-COTTON", "Cotton lining, natural", "cm", 6, Fabric, Some("beige"), true,
            json!({"material": "cotton", "colour": "natural", "weight_gsm": 140, "width_cm": 150})),
        ("FAB-LINING-STRIPE", "Cotton lining, navy stripe", "cm", 8, Fabric, Some("blue"), false,
            json!({"material": "cotton", "colour": "navy stripe", "weight_gsm": 140, "width_cm": 150})),
        ("FAB-MESH-WHITE", "Sneaker lining mesh, white", "cm", 9, Fabric, Some("white"), true,
            json!({"material": "polyester mesh", "colour": "white", "width_cm": 140})),
        ("LEA-TAN", "Vegetable-tanned leather, tan", "dm2", 45, Leather, Some("brown"), false,
            json!({"material": "leather", "tannage": "vegetable", "colour": "tan", "thickness_mm": 2.0})),
        ("LEA-COGNAC", "Vegetable-tanned leather, cognac", "dm2", 48, Leather, Some("brown"), false,
            json!({"material": "leather", "tannage": "vegetable", "colour": "cognac", "thickness_mm": 2.0})),
        ("LEA-BLACK", "Vegetable-tanned leather, black", "dm2", 44, Leather, Some("black"), false,
            json!({"material": "leather", "tannage": "vegetable", "colour": "black", "thickness_mm": 2.0})),
        ("LEA-UPPER-WHITE", "Nappa upper leather, white", "dm2", 38, Leather, Some("white"), false,
            json!({"material": "leather", "finish": "nappa", "colour": "white", "thickness_mm": 1.2})),
        ("LEA-UPPER-BLACK", "Nappa upper leather, black", "dm2", 38, Leather, Some("black"), false,
            json!({"material": "leather", "finish": "nappa", "colour": "black", "thickness_mm": 1.2})),
        ("LEA-SUEDE-GREY", "Suede, grey", "dm2", 40, Leather, Some("grey"), false,
            json!({"material": "suede", "colour": "grey", "thickness_mm": 1.4})),
        ("LEA-SUEDE-SAND", "Suede, sand", "dm2", 40, Leather, Some("beige"), false,
            json!({"material": "suede", "colour": "sand", "thickness_mm": 1.4})),
        ("LEA-NUBUCK-BORDEAUX", "Nubuck, bordeaux", "dm2", 55, Leather, Some("red"), false,
            json!({"material": "nubuck", "colour": "bordeaux", "thickness_mm": 1.4})),
        ("ZIP-COIL-40", "Coil zipper 40 cm, black", "pcs", 90, Zipper, Some("black"), true,
            json!({"type": "coil", "length_cm": 40, "colour": "black"})),
        ("ZIP-BRASS-60", "Metal zipper 60 cm, brass", "pcs", 420, Zipper, Some("gold"), false,
            json!({"type": "metal", "length_cm": 60, "finish": "brass"})),
        ("ZIP-NICKEL-60", "Metal zipper 60 cm, nickel", "pcs", 420, Zipper, Some("silver"), false,
            json!({"type": "metal", "length_cm": 60, "finish": "nickel"})),
        ("ZIP-GUNMETAL-60", "Metal zipper 60 cm, gunmetal", "pcs", 460, Zipper, Some("grey"), false,
            json!({"type": "metal", "length_cm": 60, "finish": "gunmetal"})),
        ("BKL-BRASS", "Buckle and D-ring set, brass", "pcs", 180, Fastener, Some("gold"), false,
            json!({"type": "buckle set", "finish": "brass", "width_mm": 38})),
        ("BKL-NICKEL", "Buckle and D-ring set, nickel", "pcs", 180, Fastener, Some("silver"), false,
            json!({"type": "buckle set", "finish": "nickel", "width_mm": 38})),
        ("BKL-GUNMETAL", "Buckle and D-ring set, gunmetal", "pcs", 195, Fastener, Some("grey"), false,
            json!({"type": "buckle set", "finish": "gunmetal", "width_mm": 38})),
        ("SNAP-MAGNETIC", "Magnetic snap 18 mm", "pcs", 110, Fastener, Some("silver"), true,
            json!({"type": "magnetic snap", "diameter_mm": 18})),
        ("CLIP-SWIVEL", "Swivel clip 25 mm, nickel", "pcs", 140, Fastener, Some("silver"), true,
            json!({"type": "swivel clip", "finish": "nickel", "width_mm": 25})),
        ("EYELET-SILVER", "Eyelet 5 mm, silver", "pcs", 4, Fastener, Some("silver"), true,
            json!({"type": "eyelet", "diameter_mm": 5})),
        ("SOLE-CUP-WHITE", "Rubber cupsole, white", "pair", 850, Sole, Some("white"), true,
            json!({"material": "rubber", "type": "cupsole", "colour": "white"})),
        ("SOLE-CUP-GUM", "Rubber cupsole, gum", "pair", 950, Sole, Some("brown"), false,
            json!({"material": "rubber", "type": "cupsole", "colour": "gum"})),
        ("SOLE-CUP-BLACK", "Rubber cupsole, black", "pair", 850, Sole, Some("black"), false,
            json!({"material": "rubber", "type": "cupsole", "colour": "black"})),
        ("SOLE-EVA-RUNNER", "EVA runner sole, chunky", "pair", 1400, Sole, Some("white"), false,
            json!({"material": "EVA", "type": "runner", "colour": "white"})),
        ("LACE-WHITE", "Flat cotton laces, white", "pair", 60, Lace, Some("white"), true,
            json!({"material": "cotton", "profile": "flat", "length_cm": 120})),
        ("LACE-BLACK", "Flat cotton laces, black", "pair", 60, Lace, Some("black"), false,
            json!({"material": "cotton", "profile": "flat", "length_cm": 120})),
        ("LACE-WAXED-TAN", "Waxed round laces, tan", "pair", 120, Lace, Some("brown"), false,
            json!({"material": "waxed cotton", "profile": "round", "length_cm": 120})),
        ("THR-POLY-NATURAL", "Bonded polyester thread, natural", "m", 1, Thread, Some("beige"), true,
            json!({"material": "polyester", "tex": 70})),
        ("THR-EMB-GOLD", "Embroidery thread, gold", "m", 4, Thread, Some("gold"), false,
            json!({"material": "viscose", "use": "embroidery"})),
        ("PKG-DUSTBAG", "Cotton dust bag", "pcs", 150, Packaging, None, true,
            json!({"material": "cotton", "size": "L"})),
        ("PKG-SHOEBOX", "Shoe box, kraft", "pcs", 120, Packaging, None, true,
            json!({"material": "cardboard"})),
        ("PKG-MAILER", "Shipping carton", "pcs", 90, Packaging, None, true,
            json!({"material": "corrugated cardboard"})),
        ("WEB-COTTON", "Cotton webbing 38 mm, natural", "cm", 3, Other, Some("beige"), true,
            json!({"material": "cotton", "width_mm": 38})),
        ("INSOLE-LEATHER", "Leather insole", "pair", 450, Other, Some("brown"), false,
            json!({"material": "leather", "type": "insole"})),
        ("SF-TOTE-LINING", "Tote lining pouch, sewn", "pcs", 900, Other, Some("beige"), true,
            json!({"semi_finished": true, "for": "city-tote"})),
        // Last, so the ids of the materials before it are what they were without it.
        ("FAB-LIN-OLIVE", "Linen, olive", "cm", 23, Fabric, Some("green"), false,
            json!({"material": "linen", "colour": "olive", "weight_gsm": 280, "width_cm": 140})),
    ];
    rows.into_iter()
        .map(
            |(sku, name, unit, cost, kind, colour, generic, attributes)| Material {
                sku: sku.into(),
                name: name.into(),
                unit: unit.into(),
                unit_cost_minor: cost,
                kind,
                colour_family: colour.map(Into::into),
                attributes,
                is_generic: generic,
            },
        )
        .collect()
}

/// Cutting and sewing in the bag workshop, lasting in the sneaker factory, finishing
/// (inspection, monograms, packing) in the warehouse, where everything ships from.
pub(super) fn work_centers(today: NaiveDate) -> Vec<WorkCenter> {
    let maintenance = first_on_or_after(today + Days::new(10), Weekday::Fri);
    let stocktaking = first_on_or_after(today + Days::new(7), Weekday::Sat);
    let center = |code: &str, name: &str, node: &str, minutes, weekdays, extra: Option<Holiday>| {
        let mut holidays = shop_holidays(today);
        // A plant's own day off may fall on a public holiday; one row per day.
        holidays.extend(extra.filter(|h| !holidays.iter().any(|d| d.day == h.day)));
        WorkCenter {
            code: code.into(),
            name: name.into(),
            node: node.into(),
            minutes_per_day: minutes,
            working_weekdays: weekdays,
            holidays,
        }
    };
    let maintenance_day = || {
        Some(Holiday {
            day: maintenance,
            name: "Machine maintenance".into(),
        })
    };
    vec![
        center("CUT", "Cutting", "FB", 480, MON_FRI, maintenance_day()),
        center("SEW", "Sewing", "FB", 960, MON_FRI, maintenance_day()),
        center(
            "LAST",
            "Assembly & lasting",
            "FS",
            960,
            MON_SAT,
            Some(Holiday {
                day: stocktaking,
                name: "Stocktaking".into(),
            }),
        ),
        center("FIN", "Finishing & monogram", "WH", 480, MON_FRI, None),
    ]
}

/// The values `selection` chooses, group by group (unknown codes are skipped).
pub(super) fn chosen_values<'a>(
    product: &'a Product,
    selection: &'a Selection,
) -> impl Iterator<Item = &'a OptionValue> + 'a {
    product.groups.iter().flat_map(move |group| {
        let codes = selection.get(&group.code).map(Vec::as_slice).unwrap_or_default();
        group.values.iter().filter(move |v| codes.contains(&v.code))
    })
}

/// Material needs of one unit of `product` configured as `selection`: the base BOM plus
/// the chosen values' lines, per SKU.
pub(super) fn requirements<'a>(product: &'a Product, selection: &'a Selection) -> BTreeMap<&'a str, i64> {
    let mut needs = BTreeMap::new();
    for line in product
        .bom
        .iter()
        .chain(chosen_values(product, selection).flat_map(|v| &v.bom))
    {
        *needs.entry(line.sku.as_str()).or_insert(0) += line.quantity;
    }
    needs
}

fn first_on_or_after(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - day.weekday().num_days_from_monday()) % 7;
    day + Days::new(u64::from(ahead))
}

fn bom(lines: &[(&str, i64)]) -> Vec<BomLine> {
    lines
        .iter()
        .map(|&(sku, quantity)| BomLine {
            sku: sku.into(),
            quantity,
        })
        .collect()
}

fn op(
    seq: i32,
    name: &str,
    work_center: &str,
    minutes_per_unit: f64,
    setup: i32,
    generic: bool,
) -> Operation {
    Operation {
        seq,
        name: name.into(),
        work_center: work_center.into(),
        minutes_per_unit,
        setup_minutes: setup,
        is_generic: generic,
    }
}

fn value(code: &str, label: &str, delta: i64, lines: &[(&str, i64)]) -> OptionValue {
    OptionValue {
        code: code.into(),
        label: label.into(),
        price_delta_minor: delta,
        frozen: None,
        bom: bom(lines),
        operations: Vec::new(),
    }
}

fn with_op(mut value: OptionValue, name: &str, work_center: &str, minutes: f64, setup: i32) -> OptionValue {
    value
        .operations
        .push(op(10, name, work_center, minutes, setup, false));
    value
}

fn group(code: &str, name: &str, required: bool, multi: bool, values: Vec<OptionValue>) -> OptionGroup {
    OptionGroup {
        code: code.into(),
        name: name.into(),
        required,
        multi,
        values,
    }
}

/// The weekender (presale), the city tote (mature) and the custom sneaker (growth).
pub(super) fn products(today: NaiveDate) -> Vec<Product> {
    vec![weekender(today), city_tote(today), custom_sneaker(today)]
}

fn weekender(today: NaiveDate) -> Product {
    let fabric = |code, label, delta, sku| value(code, label, delta, &[(sku, 180)]);
    Product {
        slug: "weekender-bag".into(),
        name: "Weekender bag".into(),
        description: "A roomy 45-litre travel bag, cut and sewn to order in our bag workshop. \
                      Now taking preorders."
            .into(),
        base_price_minor: 18_900,
        lifecycle: Lifecycle::Presale,
        max_lead_time_days: 35,
        handling_days: 1,
        end_of_sale: None,
        producing_node: "FB".into(),
        created_at: days_ago(today, WEEKENDER_LAUNCH_DAYS + 7),
        bom: bom(&[("THR-POLY-NATURAL", 45), ("PKG-DUSTBAG", 1), ("PKG-MAILER", 1)]),
        generic_part: None,
        generic_lines: vec![],
        operations: vec![
            op(10, "Cut base board and reinforcements", "CUT", 8.0, 10, true),
            op(20, "Cut body panels", "CUT", 22.0, 15, false),
            op(30, "Sew body", "SEW", 85.0, 10, false),
            op(40, "Fit lining and hardware", "SEW", 30.0, 5, false),
            op(50, "Inspect and pack", "FIN", 10.0, 0, false),
        ],
        groups: vec![
            group(
                "fabric",
                "Fabric",
                true,
                false,
                vec![
                    fabric("navy-canvas", "Navy canvas", 0, "FAB-CNV-NAVY"),
                    fabric("sand-canvas", "Sand canvas", 0, "FAB-CNV-SAND"),
                    fabric("black-canvas", "Black canvas", 0, "FAB-CNV-BLACK"),
                    fabric("lagoon-canvas", "Lagoon blue canvas", 1_000, "FAB-CNV-LAGOON"),
                    fabric("natural-linen", "Natural linen", 2_500, "FAB-LIN-NATURAL"),
                    fabric("indigo-linen", "Indigo linen", 2_900, "FAB-LIN-INDIGO"),
                    // New this season (see `launch`): last, so no earlier draw changes.
                    fabric("olive-linen", "Olive linen", 2_900, "FAB-LIN-OLIVE"),
                ],
            ),
            group(
                "trim",
                "Leather trim",
                true,
                false,
                vec![
                    value("tan", "Tan leather", 0, &[("LEA-TAN", 14)]),
                    value("cognac", "Cognac leather", 1_200, &[("LEA-COGNAC", 14)]),
                    value("black", "Black leather", 0, &[("LEA-BLACK", 14)]),
                ],
            ),
            group(
                "hardware",
                "Hardware",
                true,
                false,
                vec![
                    value("brass", "Brass", 0, &[("ZIP-BRASS-60", 1), ("BKL-BRASS", 4)]),
                    value("nickel", "Nickel", 0, &[("ZIP-NICKEL-60", 1), ("BKL-NICKEL", 4)]),
                    value(
                        "gunmetal",
                        "Gunmetal",
                        900,
                        &[("ZIP-GUNMETAL-60", 1), ("BKL-GUNMETAL", 4)],
                    ),
                ],
            ),
            group(
                "lining",
                "Lining",
                true,
                false,
                vec![
                    value("cotton", "Natural cotton", 0, &[("FAB-LINING-COTTON", 150)]),
                    value("stripe", "Navy stripe", 900, &[("FAB-LINING-STRIPE", 150)]),
                    value("canvas", "Sand canvas", 1_500, &[("FAB-CNV-SAND", 150)]),
                ],
            ),
            group(
                "extras",
                "Add-ons",
                false,
                true,
                vec![
                    with_op(
                        value("monogram", "Monogram (3 letters)", 1_500, &[("THR-EMB-GOLD", 8)]),
                        "Monogram embroidery",
                        "FIN",
                        12.0,
                        5,
                    ),
                    with_op(
                        value(
                            "shoe-pocket",
                            "Shoe compartment",
                            1_200,
                            &[("FAB-LINING-COTTON", 45), ("ZIP-COIL-40", 1)],
                        ),
                        "Sew shoe compartment",
                        "SEW",
                        20.0,
                        0,
                    ),
                    with_op(
                        value(
                            "strap",
                            "Shoulder strap",
                            1_900,
                            &[("WEB-COTTON", 140), ("CLIP-SWIVEL", 2)],
                        ),
                        "Assemble strap",
                        "SEW",
                        8.0,
                        0,
                    ),
                ],
            ),
        ],
    }
}

fn city_tote(today: NaiveDate) -> Product {
    let fabric = |code, label, delta, sku| value(code, label, delta, &[(sku, 110)]);
    let mut sage = fabric("sage-linen", "Sage linen", 1_500, "FAB-LIN-SAGE");
    sage.frozen = Some(Freeze {
        reason: super::FROZEN_REASON.into(),
        by: "merchant".into(),
    });
    Product {
        slug: "city-tote".into(),
        name: "City tote".into(),
        description: "An everyday tote in canvas or linen with leather or webbing handles, made to order."
            .into(),
        base_price_minor: 7_900,
        lifecycle: Lifecycle::Mature,
        max_lead_time_days: 28,
        handling_days: 1,
        end_of_sale: None,
        producing_node: "FB".into(),
        created_at: days_ago(today, 390),
        bom: bom(&[
            ("FAB-LINING-COTTON", 100),
            ("THR-POLY-NATURAL", 25),
            ("PKG-DUSTBAG", 1),
            ("PKG-MAILER", 1),
        ]),
        generic_part: Some("SF-TOTE-LINING".into()),
        generic_lines: vec!["FAB-LINING-COTTON".into()],
        operations: vec![
            op(10, "Sew lining pouch", "SEW", 12.0, 5, true),
            op(20, "Cut body panels", "CUT", 14.0, 10, false),
            op(30, "Sew body and handles", "SEW", 40.0, 10, false),
            op(40, "Inspect and pack", "FIN", 6.0, 0, false),
        ],
        groups: vec![
            group(
                "fabric",
                "Fabric",
                true,
                false,
                vec![
                    fabric("natural-linen", "Natural linen", 1_500, "FAB-LIN-NATURAL"),
                    fabric("stone-linen", "Stone linen", 1_500, "FAB-LIN-STONE"),
                    sage,
                    fabric("navy-canvas", "Navy canvas", 0, "FAB-CNV-NAVY"),
                    fabric("black-canvas", "Black canvas", 0, "FAB-CNV-BLACK"),
                    fabric("sand-canvas", "Sand canvas", 0, "FAB-CNV-SAND"),
                    fabric("rust-canvas", "Rust canvas", 500, "FAB-CNV-RUST"),
                ],
            ),
            group(
                "handles",
                "Handles",
                true,
                false,
                vec![
                    value("webbing", "Cotton webbing", 0, &[("WEB-COTTON", 130)]),
                    value("tan", "Tan leather", 1_400, &[("LEA-TAN", 7)]),
                    value("black", "Black leather", 1_400, &[("LEA-BLACK", 7)]),
                ],
            ),
            group(
                "closure",
                "Closure",
                true,
                false,
                vec![
                    value("open", "Open top", 0, &[]),
                    value("snap", "Magnetic snap", 500, &[("SNAP-MAGNETIC", 1)]),
                    with_op(
                        value("zip", "Zip top", 1_200, &[("ZIP-COIL-40", 1)]),
                        "Set top zip",
                        "SEW",
                        10.0,
                        0,
                    ),
                ],
            ),
            group(
                "extras",
                "Add-ons",
                false,
                true,
                vec![
                    with_op(
                        value("monogram", "Monogram (3 letters)", 1_200, &[("THR-EMB-GOLD", 6)]),
                        "Monogram embroidery",
                        "FIN",
                        10.0,
                        5,
                    ),
                    with_op(
                        value(
                            "zip-pocket",
                            "Inner zip pocket",
                            800,
                            &[("FAB-LINING-COTTON", 30), ("ZIP-COIL-40", 1)],
                        ),
                        "Sew zip pocket",
                        "SEW",
                        12.0,
                        0,
                    ),
                    with_op(
                        value(
                            "key-leash",
                            "Key leash",
                            500,
                            &[("LEA-TAN", 1), ("CLIP-SWIVEL", 1)],
                        ),
                        "Assemble key leash",
                        "SEW",
                        4.0,
                        0,
                    ),
                ],
            ),
        ],
    }
}

fn custom_sneaker(today: NaiveDate) -> Product {
    let upper = |code, label, delta, sku| value(code, label, delta, &[(sku, 9)]);
    let sizes = (38..=45)
        .map(|size| value(&size.to_string(), &format!("EU {size}"), 0, &[]))
        .collect();
    Product {
        slug: "custom-sneaker".into(),
        name: "Custom sneaker".into(),
        description: "A low-top sneaker built to order on a classic cupsole, in the leather, suede \
                      or canvas you choose."
            .into(),
        base_price_minor: 14_900,
        lifecycle: Lifecycle::Growth,
        max_lead_time_days: 30,
        handling_days: 2,
        end_of_sale: None,
        producing_node: "FS".into(),
        created_at: days_ago(today, 300),
        bom: bom(&[
            ("FAB-MESH-WHITE", 40),
            ("EYELET-SILVER", 16),
            ("THR-POLY-NATURAL", 18),
            ("PKG-SHOEBOX", 1),
            ("PKG-MAILER", 1),
        ]),
        generic_part: None,
        generic_lines: vec![],
        operations: vec![
            op(10, "Prepare insoles and linings", "LAST", 10.0, 10, true),
            op(20, "Cut and close uppers", "LAST", 35.0, 15, false),
            op(30, "Last and attach sole", "LAST", 40.0, 20, false),
            op(40, "Inspect and pack", "FIN", 8.0, 0, false),
        ],
        groups: vec![
            group(
                "upper",
                "Upper",
                true,
                false,
                vec![
                    upper("white-leather", "White leather", 0, "LEA-UPPER-WHITE"),
                    upper("black-leather", "Black leather", 0, "LEA-UPPER-BLACK"),
                    upper("grey-suede", "Grey suede", 1_000, "LEA-SUEDE-GREY"),
                    upper("sand-suede", "Sand suede", 1_000, "LEA-SUEDE-SAND"),
                    upper("bordeaux-nubuck", "Bordeaux nubuck", 2_000, "LEA-NUBUCK-BORDEAUX"),
                    value("navy-canvas", "Navy canvas", -1_000, &[("FAB-CNV-NAVY", 60)]),
                ],
            ),
            group(
                "sole",
                "Sole",
                true,
                false,
                vec![
                    value("white-cupsole", "White cupsole", 0, &[("SOLE-CUP-WHITE", 1)]),
                    value("gum-cupsole", "Gum cupsole", 800, &[("SOLE-CUP-GUM", 1)]),
                    value("black-cupsole", "Black cupsole", 0, &[("SOLE-CUP-BLACK", 1)]),
                    with_op(
                        value("eva-runner", "Chunky runner", 2_500, &[("SOLE-EVA-RUNNER", 1)]),
                        "Press runner sole",
                        "LAST",
                        12.0,
                        10,
                    ),
                ],
            ),
            group(
                "laces",
                "Laces",
                true,
                false,
                vec![
                    value("white", "White cotton", 0, &[("LACE-WHITE", 1)]),
                    value("black", "Black cotton", 0, &[("LACE-BLACK", 1)]),
                    value("waxed-tan", "Waxed tan", 400, &[("LACE-WAXED-TAN", 1)]),
                ],
            ),
            group("size", "Size (EU)", true, false, sizes),
            group(
                "extras",
                "Personalisation",
                false,
                true,
                vec![
                    with_op(
                        value("monogram", "Heel monogram", 1_500, &[("THR-EMB-GOLD", 4)]),
                        "Monogram embroidery",
                        "FIN",
                        10.0,
                        5,
                    ),
                    value(
                        "leather-insole",
                        "Leather insole",
                        1_900,
                        &[("INSOLE-LEATHER", 1)],
                    ),
                    value("spare-laces", "Spare laces", 500, &[("LACE-WHITE", 1)]),
                ],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn today() -> NaiveDate {
        date(2026, 3, 18)
    }

    #[test]
    fn every_bom_line_names_a_known_material_and_every_operation_a_work_center() {
        let skus: BTreeSet<String> = materials().into_iter().map(|m| m.sku).collect();
        let centers: BTreeSet<String> = work_centers(today()).into_iter().map(|w| w.code).collect();
        for product in products(today()) {
            let values = product.groups.iter().flat_map(|g| &g.values);
            let lines = product.bom.iter().chain(values.clone().flat_map(|v| &v.bom));
            for line in lines {
                assert!(skus.contains(&line.sku), "{} in {}", line.sku, product.slug);
                assert!(line.quantity > 0);
            }
            for op in product
                .operations
                .iter()
                .chain(values.flat_map(|v| &v.operations))
            {
                assert!(
                    centers.contains(&op.work_center),
                    "{} in {}",
                    op.work_center,
                    product.slug
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_where_the_schema_says_so() {
        let skus: Vec<String> = materials().into_iter().map(|m| m.sku).collect();
        assert_eq!(skus.iter().collect::<BTreeSet<_>>().len(), skus.len());
        for product in products(today()) {
            let groups: BTreeSet<&str> = product.groups.iter().map(|g| g.code.as_str()).collect();
            assert_eq!(groups.len(), product.groups.len());
            for group in &product.groups {
                let values: BTreeSet<&str> = group.values.iter().map(|v| v.code.as_str()).collect();
                assert_eq!(
                    values.len(),
                    group.values.len(),
                    "{}.{}",
                    product.slug,
                    group.code
                );
            }
        }
        for center in work_centers(today()) {
            let days: BTreeSet<NaiveDate> = center.holidays.iter().map(|h| h.day).collect();
            assert_eq!(days.len(), center.holidays.len(), "{}", center.code);
        }
    }

    #[test]
    fn every_material_is_used_by_some_product() {
        let products = products(today());
        let used: BTreeSet<&str> = products
            .iter()
            .flat_map(|p| {
                p.bom
                    .iter()
                    .chain(p.groups.iter().flat_map(|g| g.values.iter().flat_map(|v| &v.bom)))
                    .map(|l| l.sku.as_str())
                    .chain(p.generic_part.as_deref())
            })
            .collect();
        for material in materials() {
            assert!(
                used.contains(material.sku.as_str()),
                "{} is never used",
                material.sku
            );
        }
    }

    #[test]
    fn lanes_join_every_ordered_pair_of_nodes() {
        let lanes = lanes();
        assert_eq!(lanes.len(), 6);
        assert!(
            lanes
                .iter()
                .all(|l| (1..=3).contains(&l.lead_time_days) && l.from != l.to)
        );
    }
}
