//! What a configuration needs: PRODUCT.md, "The quote", step 1.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A material's identifier within one shop snapshot.
pub type MaterialId = u32;

/// One line of a bill of materials: this much of a material per unit made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BomLine {
    /// The material.
    pub material: MaterialId,
    /// Quantity per unit, in the material's own unit.
    pub quantity: i64,
}

/// Total quantity per material, in material order.
pub type Requirements = BTreeMap<MaterialId, i64>;

/// Explodes the base BOM and the chosen values' BOM lines for `quantity` units; lines
/// naming the same material add up.
pub fn explode<'a>(lines: impl IntoIterator<Item = &'a [BomLine]>, quantity: u32) -> Requirements {
    let mut needs = Requirements::new();
    for line in lines.into_iter().flatten() {
        *needs.entry(line.material).or_default() += line.quantity * i64::from(quantity);
    }
    needs.retain(|_, q| *q > 0);
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn line(material: MaterialId, quantity: i64) -> BomLine {
        BomLine { material, quantity }
    }

    #[test]
    fn base_and_option_lines_add_up_per_material_times_quantity() {
        let base = [line(1, 120), line(2, 1)];
        let navy = [line(3, 80), line(1, 20)];
        let monogram = [line(4, 5)];
        let needs = explode([&base[..], &navy[..], &monogram[..]], 3);
        assert_eq!(needs, Requirements::from([(1, 420), (2, 3), (3, 240), (4, 15)]));
    }

    #[test]
    fn nothing_is_needed_for_zero_units() {
        assert!(explode([&[line(1, 10)][..]], 0).is_empty());
    }
}
