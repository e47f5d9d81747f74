use carrel_core::workspace::{DatasetStatus, DatasetVersion};
use sqlx::{AnyConnection, Row};

pub async fn versions(conn: &mut AnyConnection) -> Result<Vec<DatasetVersion>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, tier, label, status, is_default FROM dataset_versions ORDER BY tier, position",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let tier: String = row.try_get("tier")?;
            let status: String = row.try_get("status")?;
            Ok(DatasetVersion {
                id: row.try_get("id")?,
                tier: super::decode::tier(&tier)?,
                label: row.try_get("label")?,
                status: if status == "live" {
                    DatasetStatus::Live
                } else {
                    DatasetStatus::Archived
                },
                is_default: row.try_get::<i64, _>("is_default")? != 0,
            })
        })
        .collect()
}
