//! Daily demand per material, by exploding orders and presale heat through the bills of
//! materials (PRODUCT.md, "Policies": demand per material per day).
//!
//! Inputs refer to each other by index, as the server lays them out: days count from
//! the start of the history window, materials and products index the slices the server
//! built. An index out of range is a bug in that layout, so it is an error naming the
//! input, never skipped.

use thiserror::Error;

/// One line of a bill of materials, as demand sees it: units of a material per unit of
/// product.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BomLine {
    /// Index of the material.
    pub material: usize,
    /// Units of the material per unit of product (fractions allowed: 0.4 m of fabric).
    pub per_unit: f64,
}

/// What one product consumes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ProductBom {
    /// Lines every unit needs, whatever its options.
    pub base: Vec<BomLine>,
    /// Lines each option value adds, by value index (across all the product's groups).
    pub values: Vec<Vec<BomLine>>,
    /// Whether the product is in presale, the only phase where heat counts as demand.
    pub presale: bool,
    /// Units ordered per add-to-cart or preorder, as the merchant estimates it.
    pub conversion: f64,
}

/// Units of a product ordered on a day.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderLine {
    /// Day index in the window.
    pub day: usize,
    /// Product index.
    pub product: usize,
    /// The chosen option values (indices into the product's `values`).
    pub values: Vec<usize>,
    /// Units ordered.
    pub quantity: u32,
}

/// Purchase intents (add-to-cart and preorder events) on a product or one of its
/// values, on a day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatDay {
    /// Day index in the window.
    pub day: usize,
    /// Product index.
    pub product: usize,
    /// The option value, or `None` for intents on the product as a whole.
    pub value: Option<usize>,
    /// Add-to-cart plus preorder events.
    pub intents: u32,
}

/// One material's daily demand, kept by source so a merchant can see what heat added.
#[derive(Clone, Debug, PartialEq)]
pub struct MaterialDemand {
    /// Units needed by orders, per day.
    pub from_orders: Vec<f64>,
    /// Units expected from presale heat, per day.
    pub from_heat: Vec<f64>,
}

impl MaterialDemand {
    fn zero(days: usize) -> MaterialDemand {
        MaterialDemand {
            from_orders: vec![0.0; days],
            from_heat: vec![0.0; days],
        }
    }

    /// Demand on a day from both sources.
    pub fn total(&self, day: usize) -> f64 {
        self.from_orders[day] + self.from_heat[day]
    }

    /// The daily series the policy is computed from: both sources, oldest day first.
    pub fn daily(&self) -> Vec<f64> {
        self.from_orders
            .iter()
            .zip(&self.from_heat)
            .map(|(o, h)| o + h)
            .collect()
    }
}

/// An index that points nowhere, with the input it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DemandError {
    /// A BOM line names a material beyond the material count.
    #[error("product {product}: a BOM line names material {material}, but there are {materials}")]
    BomMaterial {
        /// The product.
        product: usize,
        /// The material index.
        material: usize,
        /// How many materials there are.
        materials: usize,
    },
    /// An order line's day is outside the window.
    #[error("order line {line}: day {day} is outside the {days}-day window")]
    OrderDay {
        /// Index of the order line.
        line: usize,
        /// The day.
        day: usize,
        /// Window length.
        days: usize,
    },
    /// An order line names a product that does not exist.
    #[error("order line {line}: product {product} does not exist")]
    OrderProduct {
        /// Index of the order line.
        line: usize,
        /// The product.
        product: usize,
    },
    /// An order line names a value its product does not have.
    #[error("order line {line}: product {product} has no value {value}")]
    OrderValue {
        /// Index of the order line.
        line: usize,
        /// The product.
        product: usize,
        /// The value.
        value: usize,
    },
    /// A heat entry's day is outside the window.
    #[error("heat entry {entry}: day {day} is outside the {days}-day window")]
    HeatDay {
        /// Index of the heat entry.
        entry: usize,
        /// The day.
        day: usize,
        /// Window length.
        days: usize,
    },
    /// A heat entry names a product that does not exist.
    #[error("heat entry {entry}: product {product} does not exist")]
    HeatProduct {
        /// Index of the heat entry.
        entry: usize,
        /// The product.
        product: usize,
    },
    /// A heat entry names a value its product does not have.
    #[error("heat entry {entry}: product {product} has no value {value}")]
    HeatValue {
        /// Index of the heat entry.
        entry: usize,
        /// The product.
        product: usize,
        /// The value.
        value: usize,
    },
}

/// Daily demand of each of `materials` materials over `days` days.
///
/// An order adds quantity × per-unit of its product's base lines and of each chosen
/// value's lines, on its day. Heat counts only for presale products: intents on the
/// product × conversion × its base lines; intents on a value × conversion × that
/// value's lines (so a value's own materials follow the heat of that value, and shared
/// materials the heat of the product). Everything is checked before anything is added.
pub fn explode(
    days: usize,
    materials: usize,
    products: &[ProductBom],
    orders: &[OrderLine],
    heat: &[HeatDay],
) -> Result<Vec<MaterialDemand>, DemandError> {
    check(days, materials, products, orders, heat)?;
    let mut demand: Vec<MaterialDemand> = (0..materials).map(|_| MaterialDemand::zero(days)).collect();
    for order in orders {
        let product = &products[order.product];
        let quantity = f64::from(order.quantity);
        add(&mut demand, &product.base, order.day, quantity, Source::Orders);
        for &value in &order.values {
            add(
                &mut demand,
                &product.values[value],
                order.day,
                quantity,
                Source::Orders,
            );
        }
    }
    for entry in heat {
        let product = &products[entry.product];
        if !product.presale {
            continue;
        }
        let units = f64::from(entry.intents) * product.conversion;
        let lines = match entry.value {
            None => &product.base,
            Some(value) => &product.values[value],
        };
        add(&mut demand, lines, entry.day, units, Source::Heat);
    }
    Ok(demand)
}

#[derive(Clone, Copy)]
enum Source {
    Orders,
    Heat,
}

fn add(demand: &mut [MaterialDemand], lines: &[BomLine], day: usize, units: f64, source: Source) {
    for line in lines {
        let series = match source {
            Source::Orders => &mut demand[line.material].from_orders,
            Source::Heat => &mut demand[line.material].from_heat,
        };
        series[day] += units * line.per_unit;
    }
}

fn check(
    days: usize,
    materials: usize,
    products: &[ProductBom],
    orders: &[OrderLine],
    heat: &[HeatDay],
) -> Result<(), DemandError> {
    for (product, bom) in products.iter().enumerate() {
        let lines = bom.base.iter().chain(bom.values.iter().flatten());
        if let Some(line) = lines.into_iter().find(|l| l.material >= materials) {
            return Err(DemandError::BomMaterial {
                product,
                material: line.material,
                materials,
            });
        }
    }
    for (line, order) in orders.iter().enumerate() {
        if order.day >= days {
            return Err(DemandError::OrderDay {
                line,
                day: order.day,
                days,
            });
        }
        let Some(bom) = products.get(order.product) else {
            return Err(DemandError::OrderProduct {
                line,
                product: order.product,
            });
        };
        if let Some(&value) = order.values.iter().find(|&&v| v >= bom.values.len()) {
            return Err(DemandError::OrderValue {
                line,
                product: order.product,
                value,
            });
        }
    }
    for (entry, h) in heat.iter().enumerate() {
        if h.day >= days {
            return Err(DemandError::HeatDay {
                entry,
                day: h.day,
                days,
            });
        }
        let Some(bom) = products.get(h.product) else {
            return Err(DemandError::HeatProduct {
                entry,
                product: h.product,
            });
        };
        if let Some(value) = h.value.filter(|&v| v >= bom.values.len()) {
            return Err(DemandError::HeatValue {
                entry,
                product: h.product,
                value,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
