//! The backfill spec core: text in, `Analysis { spec, plan, diagnostics }` out.
//!
//! Architecture invariants (see ARCHITECTURE.md): no browser code here; parsing never fails
//! (it returns what it understood plus diagnostics); every diagnostic carries a byte span.

mod dates;
mod diagnostic;
pub mod emit;
mod model;
pub mod plan;
mod schema;

pub use dates::{Day, DayError, HourSet};
pub use diagnostic::{ColumnUnit, Diagnostic, LineCol, LineIndex, Severity, Span};
pub use model::*;
pub use plan::{Plan, Target, Unit};
pub use schema::json_schema;
