pub mod index;
pub mod position;
