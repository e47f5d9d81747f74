pub mod header;
pub mod workspace_card;
