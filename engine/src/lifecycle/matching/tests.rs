use super::*;

fn attributes(pairs: &[(&str, &str)]) -> Attributes {
    pairs.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// 120 m of a heavy blue canvas at 8.00 a metre.
fn navy_canvas() -> Leftover {
    Leftover {
        material: 10,
        quantity: 120,
        unit_cost: Money(800),
        attributes: attributes(&[("kind", "fabric"), ("colour_family", "blue"), ("weight", "heavy")]),
    }
}

fn line(product: usize, material: MaterialId, pairs: &[(&str, &str)], demand: i64) -> LiveLine {
    LiveLine {
        product,
        place: BomPlace::Base,
        material,
        attributes: attributes(pairs),
        demand,
    }
}

fn colour_family() -> Vec<String> {
    vec!["colour_family".to_owned()]
}

fn taken(matches: &[MaterialMatch]) -> Vec<(usize, i64, Money)> {
    matches
        .iter()
        .map(|m| (m.product, m.quantity, m.value_saved))
        .collect()
}

#[test]
fn a_leftover_is_shared_out_to_the_lines_of_the_same_kind_and_colour_family() {
    let lines = [
        line(
            0,
            20,
            &[("kind", "fabric"), ("colour_family", "blue"), ("weight", "heavy")],
            80,
        ),
        LiveLine {
            place: BomPlace::Value { group: 0, value: 1 },
            ..line(1, 21, &[("kind", "Fabric "), ("colour_family", "BLUE")], 100)
        },
        line(2, 22, &[("kind", "leather"), ("colour_family", "blue")], 500),
        line(3, 23, &[("kind", "fabric")], 500),
        line(4, 10, &[("kind", "fabric"), ("colour_family", "blue")], 500),
        line(5, 24, &[("kind", "fabric"), ("colour_family", "blue")], 0),
    ];
    // Leather is another kind, product 3's fabric has no colour family, product 4 already
    // uses the canvas, product 5 needs none. Product 1 could take 100, product 0 80:
    // product 1 first, 100 × 8.00 = 800.00; the 20 left go to product 0, 160.00.
    let matches = match_leftover(&navy_canvas(), &lines, &colour_family());
    assert_eq!(taken(&matches), [(1, 100, Money(80_000)), (0, 20, Money(16_000))]);
    assert_eq!(matches[0].place, BomPlace::Value { group: 0, value: 1 });
    assert_eq!(
        matches[0].matched_on,
        attributes(&[("kind", "fabric"), ("colour_family", "blue")])
    );
    assert_eq!(
        (matches[1].demand, matches[1].also_shared.clone()),
        (80, vec!["weight".to_owned()])
    );
}

#[test]
fn of_two_lines_saving_as_much_the_closer_substitute_comes_first() {
    let lines = [
        line(0, 20, &[("kind", "fabric"), ("colour_family", "blue")], 60),
        line(
            1,
            21,
            &[("kind", "fabric"), ("colour_family", "blue"), ("weight", "heavy")],
            60,
        ),
    ];
    let matches = match_leftover(&navy_canvas(), &lines, &colour_family());
    // Both take 60 (all 120 used); product 1 shares the weight as well.
    assert_eq!(taken(&matches), [(1, 60, Money(48_000)), (0, 60, Money(48_000))]);
}

#[test]
fn lines_past_the_leftover_are_not_suggested() {
    let lines = [
        line(0, 20, &[("kind", "fabric"), ("colour_family", "blue")], 200),
        line(1, 21, &[("kind", "fabric"), ("colour_family", "blue")], 50),
    ];
    let matches = match_leftover(&navy_canvas(), &lines, &colour_family());
    assert_eq!(taken(&matches), [(0, 120, Money(96_000))]);
}

#[test]
fn with_no_listed_attributes_the_kind_alone_decides() {
    let lines = [line(0, 20, &[("kind", "fabric"), ("colour_family", "red")], 30)];
    assert!(match_leftover(&navy_canvas(), &lines, &colour_family()).is_empty());
    assert_eq!(
        taken(&match_leftover(&navy_canvas(), &lines, &[])),
        [(0, 30, Money(24_000))]
    );
}

#[test]
fn a_leftover_without_a_kind_matches_nothing() {
    let mut unknown = navy_canvas();
    unknown.attributes.remove("kind");
    let lines = [line(0, 20, &[("kind", "fabric"), ("colour_family", "blue")], 30)];
    assert!(match_leftover(&unknown, &lines, &[]).is_empty());
}

#[test]
fn nothing_left_over_matches_nothing() {
    let none = Leftover {
        quantity: 0,
        ..navy_canvas()
    };
    let lines = [line(0, 20, &[("kind", "fabric"), ("colour_family", "blue")], 30)];
    assert!(match_leftover(&none, &lines, &colour_family()).is_empty());
}

#[test]
fn leftover_units_are_free_stock_beyond_live_demand() {
    // 500 on hand − 100 reserved − 150 needed within the coverage = 250.
    assert_eq!(leftover_units(500, 100, 150), 250);
    // Demand beyond the free stock: nothing left over.
    assert_eq!(leftover_units(500, 100, 400), 0);
    assert_eq!(leftover_units(500, 100, 0), 400);
}
