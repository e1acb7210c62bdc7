//! Every integration suite of `analytics`, in one test binary.

mod month;
mod shop;
