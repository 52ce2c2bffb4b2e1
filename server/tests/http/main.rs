//! The server over real HTTP on loopback: pages and headers, submissions, limits, lifecycle.

mod lifecycle;
mod golden;
mod limits;
mod pages;
mod submissions;
mod support;
