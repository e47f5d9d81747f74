pub mod dialog;
pub mod header;
pub mod purpose_fields;
pub mod share_dialog;
pub mod title;
pub mod workspace_card;
