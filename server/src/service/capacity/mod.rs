//! Capacity: each work center's minutes per day, working weekdays and holidays, and
//! the load of the coming weeks against what each day can work.

mod admin;
mod work_centers;

pub use work_centers::{
    Capacity, add_work_center_holiday, capacity_view, remove_work_center_holiday, save_work_center,
    set_capacity,
};
