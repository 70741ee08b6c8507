//! What a node can give away: stock on hand, less what orders hold, less the node's own
//! safety stock (PRODUCT.md, "Internal first").

use serde::{Deserialize, Serialize};

use crate::state::{NodeId, Stock};

/// One material's stock at one node, with the buffer the node keeps for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStock {
    /// The node.
    pub node: NodeId,
    /// Physically there.
    pub on_hand: i64,
    /// Of which promised to orders.
    pub reserved: i64,
    /// The node's safety stock of the material (its policy's, or 0 where the policy
    /// keeps none): the floor no transfer goes below.
    pub safety_stock: i64,
}

impl NodeStock {
    /// A stock row of the shop's state with the node's safety stock.
    pub fn of(stock: &Stock, safety_stock: i64) -> NodeStock {
        NodeStock {
            node: stock.node,
            on_hand: stock.on_hand,
            reserved: stock.reserved,
            safety_stock,
        }
    }
}

/// Units the node can give without touching its orders or its safety stock:
/// `max(0, on_hand − reserved − safety_stock)`. A negative safety stock counts as 0, so a
/// bad input can never make a node give away reserved units.
pub fn surplus(stock: &NodeStock) -> i64 {
    stock
        .on_hand
        .saturating_sub(stock.reserved)
        .saturating_sub(stock.safety_stock.max(0))
        .max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(on_hand: i64, reserved: i64, safety_stock: i64) -> NodeStock {
        NodeStock {
            node: 0,
            on_hand,
            reserved,
            safety_stock,
        }
    }

    #[test]
    fn surplus_is_what_is_left_after_orders_and_the_buffer() {
        // 500 on hand − 120 reserved − 80 safety stock = 300.
        assert_eq!(surplus(&at(500, 120, 80)), 300);
    }

    #[test]
    fn a_node_without_safety_stock_gives_all_its_free_stock() {
        assert_eq!(surplus(&at(500, 120, 0)), 380);
    }

    #[test]
    fn a_node_at_or_below_its_buffer_has_nothing_to_give() {
        // 200 − 120 = 80, exactly the buffer: nothing. 200 − 150 = 50 < 80: nothing.
        assert_eq!(surplus(&at(200, 120, 80)), 0);
        assert_eq!(surplus(&at(200, 150, 80)), 0);
        // More reserved than on hand (an oversold node) is nothing, not a debt.
        assert_eq!(surplus(&at(10, 40, 0)), 0);
    }

    #[test]
    fn a_negative_buffer_never_releases_reserved_units() {
        assert_eq!(surplus(&at(100, 60, -50)), 40);
    }

    #[test]
    fn a_state_stock_row_keeps_its_figures() {
        let row = Stock {
            material: 3,
            node: 2,
            on_hand: 90,
            reserved: 30,
        };
        assert_eq!(
            NodeStock::of(&row, 10),
            NodeStock {
                node: 2,
                on_hand: 90,
                reserved: 30,
                safety_stock: 10,
            }
        );
        assert_eq!(surplus(&NodeStock::of(&row, 10)), 50);
    }
}
