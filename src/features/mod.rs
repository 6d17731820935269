//! Application features of the original library, built on the operations:
//! auto-increment hash keys, application-level transactions, migrations on
//! read and a JSON view of models.

pub mod auto_increment;
pub mod json_view;
pub mod migration;
pub mod transaction;
pub mod versioning;
