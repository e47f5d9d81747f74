pub mod header;
pub mod share_dialog;
pub mod workspace_card;
