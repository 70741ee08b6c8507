//! A tote bag: every bag takes 0.5 m of canvas (material 0) and a strap (material 1);
//! value 0 (Navy) adds 0.2 l of navy dye (material 2), value 1 (Red) 0.2 l of red dye
//! (material 3), value 2 (a zip, an add-on) one zip (material 4).

use super::*;

const CANVAS: usize = 0;
const STRAP: usize = 1;
const NAVY: usize = 2;
const RED: usize = 3;
const ZIP: usize = 4;
const MATERIALS: usize = 5;

fn line(material: usize, per_unit: f64) -> BomLine {
    BomLine { material, per_unit }
}

fn tote(presale: bool) -> ProductBom {
    ProductBom {
        base: vec![line(CANVAS, 0.5), line(STRAP, 1.0)],
        values: vec![vec![line(NAVY, 0.2)], vec![line(RED, 0.2)], vec![line(ZIP, 1.0)]],
        presale,
        conversion: 0.25,
    }
}

fn order(day: usize, values: &[usize], quantity: u32) -> OrderLine {
    OrderLine {
        day,
        product: 0,
        values: values.to_vec(),
        quantity,
    }
}

fn heat(day: usize, value: Option<usize>, intents: u32) -> HeatDay {
    HeatDay {
        day,
        product: 0,
        value,
        intents,
    }
}

#[test]
fn an_order_explodes_its_base_and_each_chosen_value() {
    // Day 1: 4 navy bags with a zip. Canvas 4 · 0.5 = 2, straps 4, navy dye 0.8,
    // zips 4; nothing red. Day 2: 2 red bags: canvas 1, straps 2, red dye 0.4.
    let orders = [order(1, &[0, 2], 4), order(2, &[1], 2)];
    let d = explode(3, MATERIALS, &[tote(false)], &orders, &[]).unwrap();
    assert_eq!(d[CANVAS].from_orders, [0.0, 2.0, 1.0]);
    assert_eq!(d[STRAP].from_orders, [0.0, 4.0, 2.0]);
    assert!((d[NAVY].from_orders[1] - 0.8).abs() < 1e-12);
    assert!((d[RED].from_orders[2] - 0.4).abs() < 1e-12);
    assert_eq!(d[ZIP].from_orders, [0.0, 4.0, 0.0]);
    assert!(d.iter().all(|m| m.from_heat.iter().all(|&h| h == 0.0)));
}

#[test]
fn presale_heat_counts_intents_times_conversion() {
    // Day 0: 40 intents on the tote → 40 · 0.25 = 10 expected bags: canvas 5, straps 10.
    // 20 intents on Navy → 5 bags' worth of navy dye: 5 · 0.2 = 1.0; no canvas, since
    // the product-level intents already stand for the bags.
    let h = [heat(0, None, 40), heat(0, Some(0), 20)];
    let d = explode(1, MATERIALS, &[tote(true)], &[], &h).unwrap();
    assert_eq!(d[CANVAS].from_heat, [5.0]);
    assert_eq!(d[STRAP].from_heat, [10.0]);
    assert!((d[NAVY].from_heat[0] - 1.0).abs() < 1e-12);
    assert_eq!(d[RED].from_heat, [0.0]);
}

#[test]
fn heat_on_a_product_out_of_presale_adds_nothing() {
    let h = [heat(0, None, 40), heat(0, Some(0), 20)];
    let d = explode(1, MATERIALS, &[tote(false)], &[], &h).unwrap();
    assert!(d.iter().all(|m| m.total(0) == 0.0));
}

#[test]
fn the_daily_series_adds_orders_and_heat() {
    let d = explode(
        2,
        MATERIALS,
        &[tote(true)],
        &[order(1, &[], 2)],
        &[heat(1, None, 8)],
    )
    .unwrap();
    // Straps: 2 ordered + 8 · 0.25 expected.
    assert_eq!(d[STRAP].daily(), [0.0, 4.0]);
    assert_eq!(d[STRAP].total(1), 4.0);
}

#[test]
fn indices_out_of_range_are_errors_naming_the_input() {
    let products = [tote(true)];
    let run =
        |orders: &[OrderLine], heat: &[HeatDay]| explode(3, MATERIALS, &products, orders, heat).unwrap_err();
    assert_eq!(
        run(&[order(0, &[], 1), order(3, &[], 1)], &[]),
        DemandError::OrderDay {
            line: 1,
            day: 3,
            days: 3
        }
    );
    let mut wrong_product = order(0, &[], 1);
    wrong_product.product = 1;
    assert_eq!(
        run(&[wrong_product], &[]),
        DemandError::OrderProduct { line: 0, product: 1 }
    );
    assert_eq!(
        run(&[order(0, &[0, 3], 1)], &[]),
        DemandError::OrderValue {
            line: 0,
            product: 0,
            value: 3
        }
    );
    assert_eq!(
        run(&[], &[heat(5, None, 1)]),
        DemandError::HeatDay {
            entry: 0,
            day: 5,
            days: 3
        }
    );
    assert_eq!(
        run(&[], &[heat(0, Some(9), 1)]),
        DemandError::HeatValue {
            entry: 0,
            product: 0,
            value: 9
        }
    );
    let err = explode(3, 2, &products, &[], &[]).unwrap_err();
    assert_eq!(
        err,
        DemandError::BomMaterial {
            product: 0,
            material: NAVY,
            materials: 2
        }
    );
}
