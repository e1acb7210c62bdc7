pub mod fulfilments;
pub mod orders;
pub mod returns;
pub mod sagas;
