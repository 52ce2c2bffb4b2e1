//! The server over real HTTP on loopback: pages and headers, submissions, limits, lifecycle.

mod golden;
mod hostile;
mod instances;
mod languages;
mod lifecycle;
mod limits;
mod onion;
mod organizers;
mod pages;
mod signers;
mod submissions;
mod support;
