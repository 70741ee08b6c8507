//! Demand-sensing sensitivity (`docs/kpis.md`): how soon a real change in a material's
//! demand moved its policy, and how often the policy moved when demand had not changed.
//!
//! Both read two daily series of one material: what the orders used each day, and the
//! reorder point its policy had at each day's close (`None` on a day without a close).
//! A change in demand is judged with hindsight: it is real when the 28 days after a day
//! use markedly more or less than the 28 days up to it, so the last 28 days cannot be
//! judged yet.

/// Days of each side of a change in demand.
pub const LEVEL_DAYS: usize = 28;
/// A change in demand is real at this relative difference between the two sides.
pub const SHIFT: f64 = 0.3;
/// A policy moved when its reorder point changed by this share from the close before.
pub const MOVE: f64 = 0.1;
/// A change the policy has not followed within this many days was missed.
pub const RESPONSE_DAYS: usize = 56;

/// Up or down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// More than before.
    Up,
    /// Less than before.
    Down,
}

/// A real change in demand and how the policy answered it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shift {
    /// The last day before the change (day index).
    pub day: usize,
    /// Which way demand went.
    pub direction: Direction,
    /// The 28 days after over the 28 days up to it, minus one (0.45: 45 % more).
    pub change: f64,
    /// Days until the policy moved the same way; `None` when it did not within
    /// [`RESPONSE_DAYS`] (or the series ends first).
    pub followed_after: Option<usize>,
}

/// A policy move that followed no change in demand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoiseMove {
    /// The close it happened at (day index).
    pub day: usize,
    /// Which way the reorder point went.
    pub direction: Direction,
}

/// What one material's series say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sensing {
    /// The real changes in demand, oldest first.
    pub shifts: Vec<Shift>,
    /// The policy moves, in all.
    pub moves: usize,
    /// The moves that followed no change in demand.
    pub noise: Vec<NoiseMove>,
}

/// Reads `used` (units per day) and `reorder_points` (per day, `None` without a close),
/// both from the same first day.
pub fn sense(used: &[f64], reorder_points: &[Option<f64>]) -> Sensing {
    let moves = policy_moves(reorder_points);
    let shifts: Vec<Shift> = demand_shifts(used)
        .into_iter()
        .map(|(day, direction, change)| Shift {
            day,
            direction,
            change,
            followed_after: moves
                .iter()
                .find(|(at, d)| *d == direction && *at > day && *at <= day + RESPONSE_DAYS)
                .map(|(at, _)| at - day),
        })
        .collect();
    let explained = |at: usize, direction: Direction| {
        shifts
            .iter()
            .any(|s| s.direction == direction && at > s.day && at <= s.day + RESPONSE_DAYS)
    };
    let noise = moves
        .iter()
        .filter(|(at, d)| !explained(*at, *d))
        .map(|&(day, direction)| NoiseMove { day, direction })
        .collect();
    Sensing {
        shifts,
        moves: moves.len(),
        noise,
    }
}

/// The days a real change in demand starts after, each with its direction and size.
///
/// Around a change, a run of days each see their two sides differ by [`SHIFT`] or more
/// (the sides straddle it); the change is the day of the run where they differ most,
/// and it is counted once.
fn demand_shifts(used: &[f64]) -> Vec<(usize, Direction, f64)> {
    let change_at = |day: usize| {
        let before: f64 = used[day + 1 - LEVEL_DAYS..=day].iter().sum();
        let after: f64 = used[day + 1..=day + LEVEL_DAYS].iter().sum();
        if before > 0.0 {
            after / before - 1.0
        } else if after > 0.0 {
            // From nothing: as large a change as there is.
            f64::MAX
        } else {
            0.0
        }
    };
    let direction_of = |change: f64| {
        if change > 0.0 {
            Direction::Up
        } else {
            Direction::Down
        }
    };
    let mut shifts = Vec::new();
    let mut day = LEVEL_DAYS - 1;
    while day + LEVEL_DAYS < used.len() {
        let change = change_at(day);
        if change.abs() < SHIFT {
            day += 1;
            continue;
        }
        let direction = direction_of(change);
        let mut best = (day, change);
        day += 1;
        while day + LEVEL_DAYS < used.len() {
            let next = change_at(day);
            if next.abs() < SHIFT || direction_of(next) != direction {
                break;
            }
            if next.abs() > best.1.abs() {
                best = (day, next);
            }
            day += 1;
        }
        shifts.push((best.0, direction, best.1));
    }
    shifts
}

/// The closes whose reorder point moved by [`MOVE`] or more from the close before.
fn policy_moves(reorder_points: &[Option<f64>]) -> Vec<(usize, Direction)> {
    let mut moves = Vec::new();
    let mut last: Option<f64> = None;
    for (day, point) in reorder_points.iter().enumerate() {
        let Some(point) = *point else { continue };
        if let Some(before) = last {
            let moved = if before > 0.0 {
                (point / before - 1.0).abs() >= MOVE
            } else {
                point > 0.0
            };
            if moved {
                let direction = if point > before {
                    Direction::Up
                } else {
                    Direction::Down
                };
                moves.push((day, direction));
            }
        }
        last = Some(point);
    }
    moves
}

/// The median of `values`; `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2 a day for 60 days, then 4 a day for 60 days.
    fn doubling() -> Vec<f64> {
        [vec![2.0; 60], vec![4.0; 60]].concat()
    }

    #[test]
    fn a_step_in_demand_is_one_shift_found_where_the_sides_differ_enough() {
        let s = sense(&doubling(), &[]);
        assert_eq!(s.shifts.len(), 1, "{s:#?}");
        let shift = s.shifts[0];
        assert_eq!(shift.direction, Direction::Up);
        // Days 40 to 74 each see 30 % more after than before; day 59, the last at 2 a
        // day, sees the most: 112 after against 56 before.
        assert_eq!(shift.day, 59);
        assert_eq!(shift.change, 1.0);
        assert_eq!(shift.followed_after, None, "no policy moved");
        // Steady demand shifts nothing.
        assert!(sense(&[3.0; 200], &[]).shifts.is_empty());
    }

    #[test]
    fn a_policy_move_after_a_shift_answers_it_and_one_without_is_noise() {
        let used = doubling();
        let mut points: Vec<Option<f64>> = vec![Some(20.0); 120];
        // Raised on day 66 (7 days after the change at day 59) and kept.
        for p in points.iter_mut().skip(66) {
            *p = Some(30.0);
        }
        // A close missing on day 67 changes nothing.
        points[67] = None;
        let s = sense(&used, &points);
        assert_eq!(s.shifts[0].followed_after, Some(7));
        assert_eq!(s.moves, 1);
        assert!(s.noise.is_empty());

        // Steady demand, yet the policy dipped and came back: two moves of noise.
        let mut points = vec![Some(20.0); 120];
        points[30] = Some(17.0);
        let s = sense(&[3.0; 120], &points);
        assert_eq!(s.moves, 2);
        assert_eq!(
            s.noise,
            vec![
                NoiseMove {
                    day: 30,
                    direction: Direction::Down
                },
                NoiseMove {
                    day: 31,
                    direction: Direction::Up
                }
            ]
        );
        // A 5 % wobble is not a move.
        let mut points = vec![Some(20.0); 120];
        points[30] = Some(19.0);
        assert_eq!(sense(&[3.0; 120], &points).moves, 0);
    }

    #[test]
    fn a_move_the_wrong_way_does_not_answer_a_shift() {
        let mut points: Vec<Option<f64>> = vec![Some(20.0); 120];
        for p in points.iter_mut().skip(64) {
            *p = Some(10.0);
        }
        let s = sense(&doubling(), &points);
        assert_eq!(s.shifts[0].followed_after, None);
        assert_eq!(s.noise.len(), 1);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
